import type { ConveneServer, TokenRequest, TokenResponse } from '@convene/server'
import { createLocalJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose'
import { afterEach, describe, expect, it } from 'vitest'
import { postToken, startAuthServer } from './authSupport.js'
import { createSessionKey } from './sessionKey.js'

const servers: ConveneServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

/** A server with auth whose `authorize` records every request it is asked, publicKey included. */
async function start(decide: (request: TokenRequest) => boolean | object = () => true) {
  const seen: TokenRequest[] = []
  const started = await startAuthServer({
    authorize: (request) => {
      seen.push(request)
      return decide(request) as never
    },
  })
  servers.push(started.server)
  return { ...started, seen }
}

const ask = { meetingId: 'standup', participantId: 'ada', role: 'participant' }

describe('POST /token with a session public key', () => {
  it('shows the checked key to authorize and binds the token to it (cnf.jwk)', async () => {
    const { server, seen, signingKey } = await start()
    const session = await createSessionKey()
    // As an app would post WebCrypto's export: key_ops and ext are dropped, not signed.
    const response = await postToken(server, { ...ask, publicKey: session.exported })
    expect(response.status).toBe(200)
    const body = (await response.json()) as TokenResponse
    expect(seen).toHaveLength(1)
    expect(seen[0]!.publicKey).toEqual(session.publicJwk)
    const { payload } = await jwtVerify(body.token, createLocalJWKSet({ keys: [signingKey.publicJwk] }), {
      algorithms: ['ES256'],
      audience: 'standup',
      subject: 'ada',
    })
    expect(payload.cnf).toEqual({ jwk: session.publicJwk })
  })

  it('keeps the caller key whatever authorize grants instead', async () => {
    const { server } = await start(() => ({ participantId: 'u-17', role: 'host' }))
    const session = await createSessionKey()
    const body = (await (
      await postToken(server, { ...ask, publicKey: session.publicJwk })
    ).json()) as TokenResponse
    const payload = JSON.parse(Buffer.from(body.token.split('.')[1]!, 'base64url').toString())
    expect(payload).toMatchObject({ sub: 'u-17', role: 'host', cnf: { jwk: session.publicJwk } })
  })

  it('without a key: authorize sees none, and may refuse such bearer requests', async () => {
    const { server, seen } = await start((request) => request.publicKey !== undefined)
    const response = await postToken(server, ask)
    expect(response.status).toBe(403)
    expect(seen).toHaveLength(1)
    expect(seen[0]).not.toHaveProperty('publicKey')
    const bound = await postToken(server, { ...ask, publicKey: (await createSessionKey()).publicJwk })
    expect(bound.status).toBe(200)
  })

  it.each<[string, () => Promise<unknown>, RegExp]>([
    [
      'a private key',
      async () => exportJWK((await generateKeyPair('ES256', { extractable: true })).privateKey),
      /private key material/,
    ],
    [
      'a P-384 key',
      async () => exportJWK((await generateKeyPair('ES384', { extractable: true })).publicKey),
      /EC P-256/,
    ],
    ['a string', async () => 'my-key', /JWK object/],
    ['null', async () => null, /JWK object/],
    ['a short y', async () => ({ ...(await createSessionKey()).publicJwk, y: 'AA' }), /32 bytes/],
    [
      'a point off the curve',
      async () => ({ ...(await createSessionKey()).publicJwk, x: 'A'.repeat(43) }),
      /P-256 curve/,
    ],
  ])('answers 400 INVALID_BODY naming publicKey for %s, without asking authorize', async (_l, make, why) => {
    const { server, seen } = await start()
    const response = await postToken(server, { ...ask, publicKey: await make() })
    expect(response.status).toBe(400)
    const json = (await response.json()) as { code: string; error: string }
    expect(json.code).toBe('INVALID_BODY')
    expect(json.error).toContain('`publicKey`')
    expect(json.error).toMatch(why)
    expect(seen).toEqual([])
  })
})
