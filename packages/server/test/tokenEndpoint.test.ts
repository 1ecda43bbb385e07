import { isMeetingError, type MeetingError } from '@convene/core'
import {
  type ConveneServer,
  type ConveneServerOptions,
  createConveneServer,
  createToken,
  generateSigningKey,
  type TokenResponse,
} from '@convene/server'
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type WebSocket from 'ws'
import { type AuthServer, fetchToken, getRoom, postToken, startAuthServer } from './authSupport.js'
import { captureLogs } from './logSupport.js'
import { createSessionKey } from './sessionKey.js'
import { boundToken, connectProven, peerIdOf } from './signallingSupport.js'

const servers: ConveneServer[] = []
const sockets: WebSocket[] = []

async function start(...args: Parameters<typeof startAuthServer>): Promise<AuthServer> {
  const started = await startAuthServer(...args)
  servers.push(started.server)
  return started
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate()
  await Promise.all(servers.splice(0).map((s) => s.close()))
  vi.restoreAllMocks()
})

describe('POST /token and the JWKS', () => {
  it('issues what authorize allows, verifiable with the published JWKS', async () => {
    const { server, asked, signingKey } = await start()
    expect(server.tokenUrl).toBe(`${server.url}/token`)
    expect(server.jwksUrl).toBe(`${server.url}/.well-known/jwks.json`)
    const response = await postToken(server, { meetingId: 'standup', participantId: 'ada', role: 'host' })
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = (await response.json()) as TokenResponse
    expect(body).toMatchObject({ meetingId: 'standup', participantId: 'ada', role: 'host' })
    expect(asked).toEqual([{ meetingId: 'standup', participantId: 'ada', role: 'host' }])
    const { payload } = await jwtVerify(body.token, createRemoteJWKSet(new URL(server.jwksUrl!)), {
      algorithms: ['ES256'],
      audience: 'standup',
      subject: 'ada',
    })
    expect(payload.role).toBe('host')
    expect(new Date(body.expiresAt).getTime()).toBe(payload.exp! * 1000)

    const jwks = await (await fetch(server.jwksUrl!)).json()
    expect(jwks).toEqual({ keys: [signingKey.publicJwk] })
    expect(JSON.stringify(jwks)).not.toContain('"d"')
  })

  it('signs the claims authorize grants, not those asked', async () => {
    const { server } = await start({
      authorize: ({ headers }) =>
        headers.cookie === 'user=u-17'
          ? { participantId: 'u-17', role: 'participant', expiresIn: 600 }
          : false,
    })
    const response = await postToken(
      server,
      { meetingId: 'standup', participantId: 'ceo', role: 'host' },
      { Cookie: 'user=u-17' },
    )
    const body = (await response.json()) as TokenResponse
    expect(body).toMatchObject({ participantId: 'u-17', role: 'participant' })
    const claims = decodeJwt(body.token)
    expect(claims).toMatchObject({ sub: 'u-17', role: 'participant', aud: 'standup' })
    expect(claims.exp! - claims.iat!).toBe(600)
  })

  it('answers 403 when authorize refuses, and issues nothing', async () => {
    const { server, asked } = await start({ authorize: () => false })
    const response = await postToken(server, { meetingId: 'standup', participantId: 'eve', role: 'host' })
    expect(response.status).toBe(403)
    expect(await response.json()).toEqual({
      code: 'TOKEN_REFUSED',
      error: expect.stringContaining('auth.authorize'),
    })
    expect(asked).toHaveLength(1)
  })

  it('a refusal says what the app chose to tell (auth.refusal)', async () => {
    const { server } = await start({ authorize: () => false, refusal: 'log in first' })
    const response = await postToken(server, { meetingId: 'standup', participantId: 'eve', role: 'host' })
    expect([response.status, await response.json()]).toEqual([
      403,
      { code: 'TOKEN_REFUSED', error: 'log in first' },
    ])
  })

  it.each<[string, string, Record<string, string>?]>([
    ['not JSON', '{meetingId:'],
    ['a JSON array', '[]'],
    ['a missing role', JSON.stringify({ meetingId: 'm', participantId: 'p' })],
    ['an unknown role', JSON.stringify({ meetingId: 'm', participantId: 'p', role: 'admin' })],
    ['an empty meeting id', JSON.stringify({ meetingId: '', participantId: 'p', role: 'host' })],
    [
      'a meeting id of 129 characters',
      JSON.stringify({ meetingId: 'm'.repeat(129), participantId: 'p', role: 'host' }),
    ],
    ['a numeric participant id', JSON.stringify({ meetingId: 'm', participantId: 7, role: 'host' })],
    [
      'a form body',
      'meetingId=m&participantId=p&role=host',
      { 'Content-Type': 'application/x-www-form-urlencoded' },
    ],
  ])('answers 400 with a JSON error for %s, without asking authorize', async (_label, body, headers) => {
    const { server, asked } = await start()
    const response = await postToken(server, body, headers)
    expect(response.status).toBe(400)
    const json = (await response.json()) as { code: string; error: unknown }
    expect(json.code).toBe('INVALID_BODY')
    expect(typeof json.error).toBe('string')
    expect(asked).toEqual([])
  })

  it('answers 413 for a huge body, 405 for GET, 500 when authorize throws or returns nonsense', async () => {
    const { logger, events } = captureLogs()
    let decision: unknown = () => {
      throw new Error('session store down')
    }
    const { server } = await start(
      { authorize: () => (typeof decision === 'function' ? decision() : decision) },
      { logger },
    )
    const huge = await postToken(server, {
      meetingId: 'm',
      participantId: 'p',
      role: 'host',
      pad: 'x'.repeat(5000),
    })
    expect(huge.status).toBe(413)
    expect((await fetch(server.tokenUrl!)).status).toBe(405)
    const ask = { meetingId: 'm', participantId: 'p', role: 'host' }
    expect((await postToken(server, ask)).status).toBe(500)
    decision = 'yes'
    expect((await postToken(server, ask)).status).toBe(500)
    decision = { role: 'admin' }
    expect((await postToken(server, ask)).status).toBe(500)
    decision = undefined
    expect((await postToken(server, ask)).status).toBe(500)
    // The app's bug is told to the operator, with the hook's error, and never to the caller.
    const failed = events('token.authorize-failed')
    expect(failed).toHaveLength(4)
    expect(failed[0]).toMatchObject({ level: 50, meetingId: 'm', err: { message: 'session store down' } })
  })

  it('answers CORS preflights for the token endpoint and the JWKS', async () => {
    const { server } = await start()
    for (const url of [server.tokenUrl!, server.jwksUrl!]) {
      const preflight = await fetch(url, {
        method: 'OPTIONS',
        headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
      })
      expect(preflight.status).toBe(204)
      expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
      expect(preflight.headers.get('access-control-allow-headers')).toContain('Content-Type')
    }
  })

  it('without auth there is no token endpoint and no JWKS', async () => {
    const server = await createConveneServer()
    servers.push(server)
    expect(server.tokenUrl).toBeNull()
    expect(server.jwksUrl).toBeNull()
    expect((await postToken({ ...server, tokenUrl: `${server.url}/token` }, { meetingId: 'm' })).status).toBe(
      404,
    )
    expect((await fetch(`${server.url}/.well-known/jwks.json`)).status).toBe(404)
  })
})

describe('room directory with auth', () => {
  it('lists a meeting only for a valid token for that meeting', async () => {
    const { server, signingKey } = await start()
    const session = await createSessionKey()
    const inStandup = peerIdOf('standup', 'ada')
    const opened = await connectProven(server, {
      peerId: inStandup,
      token: await boundToken(server, session, 'standup', 'ada'),
      session,
    })
    if (opened.kind === 'message') sockets.push(opened.socket)
    expect(opened).toMatchObject({ kind: 'message', type: 'OPEN' })
    const { token } = await fetchToken(server, {
      meetingId: 'standup',
      participantId: 'ada',
      role: 'participant',
    })
    const ok = await getRoom(server, 'standup', token)
    expect(ok.status).toBe(200)
    expect(ok.body).toEqual({ peers: [inStandup] })

    const none = await getRoom(server, 'standup')
    expect([none.status, none.body.code]).toEqual([401, 'UNAUTHORIZED'])
    expect(none.response.headers.get('www-authenticate')).toBe('Bearer')

    const retro = await fetchToken(server, { meetingId: 'retro', participantId: 'ada', role: 'host' })
    const otherMeeting = await getRoom(server, 'standup', retro.token)
    expect([otherMeeting.status, otherMeeting.body.code]).toEqual([403, 'FORBIDDEN'])

    const forger = await generateSigningKey({ kid: signingKey.kid })
    const forged = await createToken({ meetingId: 'standup', participantId: 'eve', role: 'host' }, forger)
    expect((await getRoom(server, 'standup', forged)).status).toBe(401)

    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() - 2 * 3600_000)
    const old = await createToken(
      { meetingId: 'standup', participantId: 'ada', role: 'host' },
      signingKey,
    ).finally(() => vi.useRealTimers())
    const expired = await getRoom(server, 'standup', old)
    expect([expired.status, expired.body.error]).toEqual([401, 'the token has expired'])

    expect((await getRoom(server, 'standup', 'not.a.jwt')).status).toBe(401)
    // None of the refusals leaked the peer list.
    for (const refused of [none, otherMeeting, expired]) expect(refused.body).not.toHaveProperty('peers')
  })

  it('asks the extra `authorize` only once the token holds', async () => {
    const listings: string[] = []
    const { server } = await start(
      {},
      {
        authorize: ({ meetingId }) => {
          listings.push(meetingId)
          return meetingId !== 'locked'
        },
      },
    )
    expect((await getRoom(server, 'standup')).status).toBe(401)
    expect(listings).toEqual([])
    const locked = await fetchToken(server, { meetingId: 'locked', participantId: 'ada', role: 'host' })
    expect((await getRoom(server, 'locked', locked.token)).status).toBe(403)
    expect(listings).toEqual(['locked'])
  })
})

describe('auth options', () => {
  it.each<[string, (key: Awaited<ReturnType<typeof generateSigningKey>>) => ConveneServerOptions['auth']]>([
    ['auth', () => 'on' as never],
    ['auth.signingKey', () => ({ signingKey: {} as never, authorize: () => true })],
    ['auth.authorize', (signingKey) => ({ signingKey }) as never],
    ['auth.expiresIn', (signingKey) => ({ signingKey, authorize: () => true, expiresIn: 0 })],
    ['auth.tokenPath', (signingKey) => ({ signingKey, authorize: () => true, tokenPath: 'token' })],
    ['auth.tokenPath', (signingKey) => ({ signingKey, authorize: () => true, tokenPath: '/peerjs' })],
  ])('rejects a bad `%s` with INVALID_OPTION', async (option, auth) => {
    const error = await createConveneServer({ auth: auth(await generateSigningKey()) }).catch(
      (e: unknown) => e,
    )
    expect(isMeetingError(error)).toBe(true)
    expect((error as MeetingError).details.option).toBe(option)
  })
})
