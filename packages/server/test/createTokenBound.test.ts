import { isMeetingError, type MeetingError } from '@convene/core'
import { createToken, generateSigningKey, type TokenClaims } from '@convene/server'
import { createLocalJWKSet, decodeJwt, exportJWK, generateKeyPair, jwtVerify } from 'jose'
import { describe, expect, it } from 'vitest'
import { createSessionKey } from './sessionKey.js'

const claims: TokenClaims = { meetingId: 'standup', participantId: 'ada', role: 'host' }

async function refusal(promise: Promise<unknown>): Promise<MeetingError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(isMeetingError(error)).toBe(true)
  return error as MeetingError
}

describe('createToken with a session public key (proof of possession, RFC 7800)', () => {
  it('binds the token to the key: cnf.jwk holds exactly kty, crv, x, y', async () => {
    const signingKey = await generateSigningKey()
    const session = await createSessionKey()
    // WebCrypto's export carries key_ops and ext too; only the 4 key members may reach the token.
    const token = await createToken({ ...claims, publicKey: session.exported as never }, signingKey)
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: [signingKey.publicJwk] }), {
      algorithms: ['ES256'],
      audience: 'standup',
      subject: 'ada',
    })
    expect(payload.cnf).toEqual({ jwk: session.publicJwk })
    expect(Object.keys((payload.cnf as { jwk: object }).jwk).sort()).toEqual(['crv', 'kty', 'x', 'y'])
    expect(payload.role).toBe('host')
  })

  it('without a key the token is a bearer token: no cnf claim at all', async () => {
    const token = await createToken(claims, await generateSigningKey())
    expect(decodeJwt(token)).not.toHaveProperty('cnf')
  })

  it.each<[string, () => Promise<unknown>]>([
    [
      'a private key (with d)',
      async () => exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey),
    ],
    ['a P-384 key', async () => exportJWK((await generateKeyPair('ES384', { extractable: true })).publicKey)],
    ['an RSA key', async () => exportJWK((await generateKeyPair('RS256', { extractable: true })).publicKey)],
    ['a symmetric key', async () => ({ kty: 'oct', k: 'c2VjcmV0' })],
    ['a string', async () => (await createSessionKey()).publicJwk.x],
    ['null', async () => null],
    ['a short x', async () => ({ ...(await createSessionKey()).publicJwk, x: 'AAAA' })],
    ['a point off the curve', async () => ({ ...(await createSessionKey()).publicJwk, y: 'A'.repeat(43) })],
  ])('refuses %s with INVALID_OPTION naming publicKey, and signs nothing', async (_label, make) => {
    const error = await refusal(
      createToken({ ...claims, publicKey: (await make()) as never }, await generateSigningKey()),
    )
    expect(error.code).toBe('INVALID_OPTION')
    expect(error.details.option).toBe('publicKey')
  })
})
