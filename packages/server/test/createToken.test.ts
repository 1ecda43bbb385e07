import { isMeetingError, type MeetingError } from '@convene/core'
import { createToken, generateSigningKey, importSigningKey, type TokenClaims } from '@convene/server'
import {
  createLocalJWKSet,
  decodeJwt,
  decodeProtectedHeader,
  exportJWK,
  exportPKCS8,
  generateKeyPair,
  jwtVerify,
} from 'jose'
import { describe, expect, it } from 'vitest'

const claims: TokenClaims = { meetingId: 'standup', participantId: 'ada', role: 'host' }

async function codeOf(promise: Promise<unknown>): Promise<[string, string | undefined]> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(isMeetingError(error)).toBe(true)
  return [(error as MeetingError).code, (error as MeetingError).details.option]
}

describe('createToken', () => {
  it('signs ES256 with the claims core checks: aud, sub, role, iat, exp, and the kid', async () => {
    const key = await generateSigningKey()
    const before = Math.floor(Date.now() / 1000)
    const token = await createToken(claims, key)
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', typ: 'JWT', kid: key.kid })
    const payload = decodeJwt(token)
    expect(payload).toMatchObject({ aud: 'standup', sub: 'ada', role: 'host' })
    expect(payload.iat).toBeGreaterThanOrEqual(before)
    expect(payload.exp! - payload.iat!).toBe(3600)
    const { payload: verified } = await jwtVerify(token, createLocalJWKSet({ keys: [key.publicJwk] }), {
      algorithms: ['ES256'],
      audience: 'standup',
      subject: 'ada',
    })
    expect(verified.role).toBe('host')
  })

  it('takes a lifetime in seconds or as a span', async () => {
    const key = await generateSigningKey()
    const life = async (expiresIn: number | string) => {
      const { exp, iat } = decodeJwt(await createToken({ ...claims, expiresIn }, key))
      return exp! - iat!
    }
    expect(await life(90)).toBe(90)
    expect(await life('2h')).toBe(7200)
    expect(await life('1 day')).toBe(86_400)
  })

  it.each<[string, unknown]>([
    ['claims', null],
    ['meetingId', { ...claims, meetingId: '' }],
    ['meetingId', { ...claims, meetingId: 'x'.repeat(129) }],
    ['participantId', { ...claims, participantId: 42 }],
    ['role', { ...claims, role: 'admin' }],
    ['expiresIn', { ...claims, expiresIn: 0 }],
    ['expiresIn', { ...claims, expiresIn: -5 }],
    ['expiresIn', { ...claims, expiresIn: 31 * 86_400 }],
    ['expiresIn', { ...claims, expiresIn: 'soon' }],
    ['expiresIn', { ...claims, expiresIn: Number.NaN }],
  ])('rejects a bad `%s` with INVALID_OPTION', async (option, bad) => {
    const key = await generateSigningKey()
    expect(await codeOf(createToken(bad as TokenClaims, key))).toEqual(['INVALID_OPTION', option])
  })

  it('rejects something that is not a signing key', async () => {
    const { privateKey } = await generateKeyPair('ES256')
    expect(await codeOf(createToken(claims, privateKey as never))).toEqual(['INVALID_OPTION', 'signingKey'])
  })
})

describe('signing keys', () => {
  it('generateSigningKey: the published JWK is public only, with a thumbprint kid; the private key stays inside', async () => {
    const key = await generateSigningKey()
    expect(key.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: key.kid })
    expect(key.publicJwk).not.toHaveProperty('d')
    expect(key.kid).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(key.privateKey.extractable).toBe(false)
    expect((await generateSigningKey({ kid: 'k1' })).kid).toBe('k1')
    expect((await generateSigningKey()).kid).not.toBe(key.kid)
  })

  it('importSigningKey: the same key from PEM or JWK gets the same kid and signs verifiable tokens', async () => {
    const original = await generateSigningKey({ extractable: true })
    const pem = await exportPKCS8(original.privateKey)
    const jwk = await exportJWK(original.privateKey)
    const fromPem = await importSigningKey(pem)
    const fromJwk = await importSigningKey(jwk)
    expect(fromPem.kid).toBe(original.kid)
    expect(fromJwk.publicJwk).toEqual(original.publicJwk)
    expect(fromPem.privateKey.extractable).toBe(false)
    const token = await createToken(claims, fromPem)
    await expect(
      jwtVerify(token, createLocalJWKSet({ keys: [original.publicJwk] }), { audience: 'standup' }),
    ).resolves.toBeTruthy()
  })

  it.each<[string, unknown, unknown]>([
    ['key', 'not a pem', {}],
    ['key', { kty: 'EC', crv: 'P-256' }, {}],
    ['key', 42, {}],
    ['kid', undefined, { kid: '' }],
    ['extractable', undefined, { extractable: 'yes' }],
  ])('rejects a bad `%s` with INVALID_OPTION', async (option, input, options) => {
    const key =
      input === undefined
        ? await exportJWK((await generateSigningKey({ extractable: true })).privateKey)
        : input
    expect(await codeOf(importSigningKey(key as string, options as never))).toEqual([
      'INVALID_OPTION',
      option,
    ])
  })

  it('refuses a key of another curve', async () => {
    const { privateKey } = await generateKeyPair('ES384', { extractable: true })
    expect(await codeOf(importSigningKey(await exportJWK(privateKey)))).toEqual(['INVALID_OPTION', 'key'])
  })
})
