import { createSignallingToken, createToken, generateSigningKey, signallingPayload } from '@convene/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { fetchToken, getRoom, startAuthServer } from './authSupport.js'
import { createSessionKey } from './sessionKey.js'
import {
  boundToken,
  closedAfterEach,
  connectProven,
  newSecret,
  openSignalling,
  peerIdOf,
  type SignallingOutcome,
} from './signallingSupport.js'

const { servers, sockets } = closedAfterEach()

afterEach(() => {
  vi.useRealTimers()
})

async function setup() {
  const started = await startAuthServer()
  servers.push(started.server)
  const { server, signingKey } = started
  const session = await createSessionKey()
  const token = await boundToken(server, session, 'standup', 'ada')
  const peerId = peerIdOf('standup', 'ada')
  /** Who the directory lists in standup, asked with a valid token and proof. */
  const lister = { sign: session.sign, peerId: peerIdOf('standup', 'ada', 'lister') }
  const listed = async () => (await getRoom(server, 'standup', token, lister)).body.peers
  return { server, signingKey, session, token, peerId, listed }
}

function opened(outcome: SignallingOutcome): string {
  if (outcome.kind === 'message') sockets.push(outcome.socket)
  return outcome.kind === 'message' ? outcome.type : `HTTP ${outcome.status}`
}

type Ctx = Awaited<ReturnType<typeof setup>>

describe('PeerServer registers a peer id only against a proof of possession (auth on)', () => {
  it('accepts a valid proof: PeerServer answers OPEN and the directory lists the id', async () => {
    const { server, session, token, peerId, listed } = await setup()
    expect(opened(await connectProven(server, { peerId, token, session }))).toBe('OPEN')
    expect(await listed()).toEqual([peerId])
  })

  it.each<[string, (ctx: Ctx) => Promise<SignallingOutcome>, string]>([
    ['no token', (c) => openSignalling(c.server, c.peerId, undefined), 'the token must be'],
    ['a garbage token', (c) => openSignalling(c.server, c.peerId, 'garbage'), 'the token must be'],
    [
      'a bare JWT (no proof around it)',
      (c) => openSignalling(c.server, c.peerId, c.token),
      'the token must be',
    ],
    [
      'a non-Convene id',
      (c) => connectProven(c.server, { ...c, peerId: 'someone' }),
      'not a Convene peer id',
    ],
    [
      'a token forged with another key under the same kid',
      async (c) => {
        const forger = await generateSigningKey({ kid: c.signingKey.kid })
        const forged = await createToken(
          { meetingId: 'standup', participantId: 'ada', role: 'host', publicKey: c.session.publicJwk },
          forger,
        )
        return connectProven(c.server, { ...c, token: forged })
      },
      'not valid',
    ],
    [
      "another meeting's token",
      async (c) =>
        connectProven(c.server, { ...c, token: await boundToken(c.server, c.session, 'retro', 'ada') }),
      'another meeting or participant',
    ],
    [
      "another participant's token than the id's",
      async (c) =>
        connectProven(c.server, { ...c, token: await boundToken(c.server, c.session, 'standup', 'bob') }),
      'another meeting or participant',
    ],
    [
      'an expired token',
      async (c) => {
        vi.useFakeTimers({ toFake: ['Date'] })
        vi.setSystemTime(Date.now() - 2 * 3600_000)
        const old = await createToken(
          { meetingId: 'standup', participantId: 'ada', role: 'host', publicKey: c.session.publicJwk },
          c.signingKey,
        ).finally(() => vi.useRealTimers())
        return connectProven(c.server, { ...c, token: old })
      },
      'expired',
    ],
    [
      'a bearer token (no cnf), signed by any key',
      async (c) => {
        const bearer = await fetchToken(c.server, {
          meetingId: 'standup',
          participantId: 'ada',
          role: 'host',
        })
        return connectProven(c.server, { ...c, token: bearer.token })
      },
      'not bound to a session key',
    ],
    [
      "a replayed token without its key (signed by the replayer's own key)",
      async (c) => connectProven(c.server, { ...c, session: await createSessionKey() }),
      'signature does not hold',
    ],
    [
      'a proof made for another peer id',
      async (c) => {
        const value = await createSignallingToken({
          peerId: peerIdOf('standup', 'ada', 'other-session'),
          secret: newSecret(),
          token: c.token,
          sign: c.session.sign,
        })
        return openSignalling(c.server, c.peerId, value)
      },
      'signature does not hold',
    ],
    [
      'a stale timestamp (121 s old)',
      (c) => connectProven(c.server, { ...c, ts: Date.now() - 121_000 }),
      'stale',
    ],
    ['a timestamp 121 s ahead', (c) => connectProven(c.server, { ...c, ts: Date.now() + 121_000 }), 'stale'],
  ])('refuses %s with HTTP 401, before PeerServer registers anything', async (_label, attempt, reason) => {
    const ctx = await setup()
    const outcome = await attempt(ctx)
    expect(opened(outcome)).toBe('HTTP 401')
    expect(outcome.kind === 'refused' && outcome.body).toContain(reason)
    expect(await ctx.listed()).toEqual([])
    // The id was never registered: its owner gets it at once, not ID-TAKEN.
    expect(opened(await connectProven(ctx.server, ctx))).toBe('OPEN')
    expect(await ctx.listed()).toEqual([ctx.peerId])
  })

  it('a proof 100 s old still holds (clock skew), and the payload is the documented string', async () => {
    const { server, session, token, peerId } = await setup()
    expect(opened(await connectProven(server, { peerId, token, session, ts: Date.now() - 100_000 }))).toBe(
      'OPEN',
    )
    expect(signallingPayload('cv-61-62-63', 1_700_000_000_000, 'S'.repeat(22))).toBe(
      `convene-signal-v1\ncv-61-62-63\n1700000000000\n${'S'.repeat(22)}`,
    )
  })
})

describe('createSignallingToken', () => {
  it.each<[string, Record<string, unknown>]>([
    ['secret', { secret: 'short' }],
    ['secret', { secret: 'has~tilde-and-is-long-enough' }],
    ['token', { token: 'not a jwt' }],
    ['token', { token: 'a.b.c~d' }],
    ['ts', { ts: -1 }],
    ['ts', { ts: 1.5 }],
    ['sign', { sign: async () => 'AAAA' }],
  ])('refuses a bad `%s` with INVALID_OPTION, as the server would', async (option, bad) => {
    const session = await createSessionKey()
    const error = await createSignallingToken({
      peerId: peerIdOf('standup', 'ada'),
      secret: newSecret(),
      token: 'eyJh.eyJz.c2ln',
      sign: session.sign,
      ...bad,
    }).catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'INVALID_OPTION', details: { option } })
  })
})
