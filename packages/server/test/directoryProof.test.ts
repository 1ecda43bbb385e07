import {
  type ConveneServer,
  createDirectoryProof,
  createSignallingToken,
  directoryPayload,
} from '@convene/server'
import { afterEach, describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import { fetchToken, getRoom, type ProofSigner, startAuthServer } from './authSupport.js'
import { createSessionKey } from './sessionKey.js'
import { boundToken, connectProven, newSecret, peerIdOf } from './signallingSupport.js'

const servers: ConveneServer[] = []
const sockets: WebSocket[] = []

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate()
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

/** Ada connected in standup; Carol holds a copy of Ada's token (read from her hello), not her key. */
async function standup(options: Parameters<typeof startAuthServer>[1] = {}) {
  const { server } = await startAuthServer({}, options)
  servers.push(server)
  const ada = await createSessionKey()
  const adaToken = await boundToken(server, ada, 'standup', 'ada')
  const adaId = peerIdOf('standup', 'ada')
  const opened = await connectProven(server, { peerId: adaId, token: adaToken, session: ada })
  if (opened.kind === 'message') sockets.push(opened.socket)
  expect(opened).toMatchObject({ kind: 'message', type: 'OPEN' })
  const carol = await createSessionKey()
  const asAda: ProofSigner = { sign: ada.sign, peerId: adaId }
  return { server, ada, adaToken, adaId, carol, asAda }
}

type Ctx = Awaited<ReturnType<typeof standup>>

describe('the room directory wants a proof of possession with a bound token', () => {
  it('lists the meeting for the token with a fresh proof by its key', async () => {
    const { server, adaToken, adaId, asAda } = await standup()
    const ok = await getRoom(server, 'standup', adaToken, asAda)
    expect([ok.status, ok.body]).toEqual([200, { peers: [adaId] }])
    expect(ok.response.headers.get('cache-control')).toBe('no-store')
    // A second listing signs a new ts: another proof, accepted too.
    expect((await getRoom(server, 'standup', adaToken, { ...asAda, ts: Date.now() + 1 })).status).toBe(200)
  })

  it.each<[string, (c: Ctx) => Promise<string | ProofSigner | undefined>, string]>([
    [
      'no proof (the token alone)',
      async () => undefined,
      'a `Convene-Proof: <peerId>~<ts>~<signature>` header is required',
    ],
    ['a malformed proof', async () => 'not-a-proof', 'the proof must be <peerId>~<ts>~<signature>'],
    [
      "a proof by the replayer's own key",
      async (c) => ({ sign: c.carol.sign, peerId: c.adaId }),
      'the signature does not hold',
    ],
    [
      "a proof for the replayer's own peer id",
      async (c) => ({ sign: c.carol.sign, peerId: peerIdOf('standup', 'carol') }),
      "not the token's meeting and participant",
    ],
    [
      "a stale proof by the token's own key (121 s old)",
      async (c) => ({ ...c.asAda, ts: Date.now() - 121_000 }),
      'the proof is stale',
    ],
    [
      "a proof by the token's key for another meeting",
      (c) => createDirectoryProof({ meetingId: 'retro', peerId: c.adaId, sign: c.ada.sign }),
      'the signature does not hold',
    ],
    [
      "Ada's signalling proof presented as a directory proof",
      async (c) => {
        const ts = Date.now()
        const value = await createSignallingToken({
          peerId: c.adaId,
          secret: newSecret(),
          token: c.adaToken,
          sign: c.ada.sign,
          ts,
        })
        return `${c.adaId}~${ts}~${value.split('~')[3]}`
      },
      'the signature does not hold',
    ],
    [
      'a proof Ada already used (captured with the request)',
      async (c) => {
        const proof = await createDirectoryProof({ meetingId: 'standup', ...c.asAda })
        expect((await getRoom(c.server, 'standup', c.adaToken, proof)).status).toBe(200)
        return proof
      },
      'the proof was already used',
    ],
  ])("with Ada's token replayed, refuses %s: 401, and no peer ids", async (_label, proof, reason) => {
    const ctx = await standup()
    const refused = await getRoom(ctx.server, 'standup', ctx.adaToken, await proof(ctx))
    expect([refused.status, refused.body.code]).toEqual([401, 'INVALID_PROOF'])
    expect(refused.body.error).toContain(reason)
    expect(refused.body).not.toHaveProperty('peers')
    expect(JSON.stringify(refused.body)).not.toContain('cv-')
    expect(refused.response.headers.get('www-authenticate')).toBe('Bearer')
  })

  it('the payload is the documented string, domain-separated from the signalling one', async () => {
    expect(directoryPayload('standup', 'cv-61-62-63', 1_700_000_000_000)).toBe(
      'convene-directory-v1\nstandup\ncv-61-62-63\n1700000000000',
    )
  })

  it('a bearer token (no cnf) stands alone, as it does everywhere it is accepted; a preflight allows the proof header', async () => {
    const { server, adaId } = await standup()
    const { token } = await fetchToken(server, {
      meetingId: 'standup',
      participantId: 'x',
      role: 'participant',
    })
    const listed = await getRoom(server, 'standup', token)
    expect([listed.status, listed.body]).toEqual([200, { peers: [adaId] }])
    const preflight = await fetch(`${server.url}/convene/rooms/standup`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization, convene-proof',
      },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-headers')).toContain('Convene-Proof')
  })

  it('createDirectoryProof refuses what the server would, with INVALID_OPTION', async () => {
    const key = await createSessionKey()
    const good = { meetingId: 'standup', peerId: peerIdOf('standup', 'ada'), sign: key.sign }
    for (const [option, parts] of [
      ['peerId', { ...good, peerId: 'someone' }],
      ['ts', { ...good, ts: 0 }],
      ['sign', { ...good, sign: async () => 'AAAA' }],
    ] as const) {
      const error = await createDirectoryProof(parts).catch((e: unknown) => e)
      expect(error).toMatchObject({ code: 'INVALID_OPTION', details: { option } })
    }
  })
})
