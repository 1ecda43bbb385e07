import { SIGNALLING_PRESENCE_TYPE } from '@convene/core/wire'
import {
  createSignallingToken,
  generateSigningKey,
  SIGNALLING_MAX_SKEW_MS,
  signallingPayload,
} from '@convene/server'
import { describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import { createToken } from '../src/auth/createToken.js'
import { createProofLedger } from '../src/proof/proofLedger.js'
import { createSignallingCheck } from '../src/signalling/verifySignalling.js'
import { getRoom, startAuthServer } from './authSupport.js'
import { waitFor } from './helpers.js'
import { createSessionKey } from './sessionKey.js'
import {
  boundToken,
  closedAfterEach,
  newSecret,
  openSignalling,
  peerIdOf,
  type SignallingOutcome,
} from './signallingSupport.js'

const { servers, sockets } = closedAfterEach()

/** The P-256 group order: (r, n − s) verifies wherever (r, s) does. */
const P256_N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n

/** The other valid form of a raw r || s signature (base64url): same r, s replaced by n − s. */
function malleated(signature: string): string {
  const bytes = Buffer.from(signature, 'base64url')
  const s = BigInt(`0x${bytes.subarray(32).toString('hex')}`)
  const flipped = Buffer.from((P256_N - s).toString(16).padStart(64, '0'), 'hex')
  return Buffer.concat([bytes.subarray(0, 32), flipped]).toString('base64url')
}

function socketOf(outcome: SignallingOutcome): WebSocket {
  if (outcome.kind !== 'message') throw new Error(`refused with HTTP ${outcome.status}: ${outcome.body}`)
  sockets.push(outcome.socket)
  return outcome.socket
}

const refusal = (outcome: SignallingOutcome) =>
  outcome.kind === 'refused' ? `${outcome.status} ${outcome.body}` : `${outcome.kind} ${outcome.type}`

async function ada() {
  const started = await startAuthServer()
  servers.push(started.server)
  const { server } = started
  const session = await createSessionKey()
  const token = await boundToken(server, session, 'standup', 'ada')
  const peerId = peerIdOf('standup', 'ada')
  const secret = newSecret()
  const credential = (ts?: number) =>
    createSignallingToken({ peerId, secret, token, sign: session.sign, ...(ts === undefined ? {} : { ts }) })
  const listed = async () =>
    (await getRoom(server, 'standup', token, { sign: session.sign, peerId: peerIdOf('standup', 'ada', 'l') }))
      .body.peers
  return { ...started, session, token, peerId, secret, credential, listed }
}

describe('a signalling URL is good for one connect', () => {
  it("a replay of the owner's URL is refused (401, used) and leaves the owner's socket live; a reconnect with a new ts gets in", async () => {
    const { server, peerId, credential, listed, session } = await ada()
    const value = await credential()
    const owner = socketOf(await openSignalling(server, peerId, value))
    const received: { type: string; src?: string }[] = []
    owner.on('message', (data) => {
      // Presence comes with every registration (signallingPresence.test.ts); relayed messages are the point here.
      const message = JSON.parse(String(data)) as { type: string }
      if (message.type !== SIGNALLING_PRESENCE_TYPE) received.push(message)
    })

    // The same URL again, as read from a proxy log: refused before PeerServer sees it.
    const replay = await openSignalling(server, peerId, value)
    expect(refusal(replay)).toBe('401 the proof was already used')
    // Its signature's other valid form (r, n − s) verifies too, yet names the same proof.
    const [secret, jwt, ts, signature] = value.split('~') as [string, string, string, string]
    const twin = malleated(signature)
    const key = await crypto.subtle.importKey(
      'jwk',
      { ...session.publicJwk, ext: true },
      { name: 'ECDSA', namedCurve: 'P-256' },
      false,
      ['verify'],
    )
    const payload = new TextEncoder().encode(signallingPayload(peerId, Number(ts), secret))
    const params = { name: 'ECDSA', hash: 'SHA-256' }
    expect(await crypto.subtle.verify(params, key, Buffer.from(twin, 'base64url'), payload)).toBe(true)
    expect(twin).not.toBe(signature)
    const malleatedReplay = await openSignalling(server, peerId, [secret, jwt, ts, twin].join('~'))
    expect(refusal(malleatedReplay)).toBe('401 the proof was already used')

    // The owner still holds the id: an offer reaches its socket, which is still open.
    const bob = await createSessionKey()
    const bobId = peerIdOf('standup', 'bob')
    const bobToken = await boundToken(server, bob, 'standup', 'bob')
    const bobSocket = socketOf(
      await openSignalling(
        server,
        bobId,
        await createSignallingToken({ peerId: bobId, secret: newSecret(), token: bobToken, sign: bob.sign }),
      ),
    )
    bobSocket.send(JSON.stringify({ type: 'OFFER', dst: peerId, payload: { probe: 1 } }))
    await waitFor(() => received.length > 0)
    expect(received).toEqual([expect.objectContaining({ type: 'OFFER', src: bobId })])
    expect(owner.readyState).toBe(owner.OPEN)
    expect(await listed()).toEqual([peerId, bobId])

    // The owner's own reconnect signs a new ts under the same secret: accepted (PeerServer moves the
    // id onto the new socket), and the old URL is still refused after it.
    const reconnect = await openSignalling(server, peerId, await credential(Number(ts) + 1), 'open')
    expect(refusal(reconnect)).toBe('message upgraded')
    socketOf(reconnect)
    expect(refusal(await openSignalling(server, peerId, value))).toBe('401 the proof was already used')
  })

  it('of the same proof sent three times at once, exactly one gets in', async () => {
    const { server, peerId, credential } = await ada()
    const value = await credential()
    const outcomes = await Promise.all([1, 2, 3].map(() => openSignalling(server, peerId, value, 'open')))
    for (const outcome of outcomes) if (outcome.kind === 'message') sockets.push(outcome.socket)
    expect(outcomes.map(refusal).sort()).toEqual([
      '401 the proof was already used',
      '401 the proof was already used',
      'message upgraded',
    ])
  })

  it('a proof whose signature does not hold is not remembered: it cannot spend the real one first', async () => {
    const { server, peerId, credential } = await ada()
    const value = await credential()
    const [secret, jwt, ts] = value.split('~') as [string, string, string, string]
    const garbage = [secret, jwt, ts, 'A'.repeat(86)].join('~')
    expect(refusal(await openSignalling(server, peerId, garbage))).toBe('401 the signature does not hold')
    expect(refusal(await openSignalling(server, peerId, value))).toBe('message OPEN')
    for (const s of sockets) s.terminate()
  })
})

describe('the check on a clock of its own', () => {
  async function checkAt(maxEntries?: number) {
    const signingKey = await generateSigningKey()
    const clock = { now: Date.now() }
    const ledger = createProofLedger({
      windowMs: SIGNALLING_MAX_SKEW_MS,
      now: () => clock.now,
      ...(maxEntries === undefined ? {} : { maxEntries }),
    })
    const check = createSignallingCheck([signingKey.publicJwk], { now: () => clock.now, ledger })
    const session = await createSessionKey()
    const token = await createToken(
      { meetingId: 'standup', participantId: 'ada', role: 'participant', publicKey: session.publicJwk },
      signingKey,
    )
    const peerId = peerIdOf('standup', 'ada')
    const secret = newSecret()
    const url = async (ts: number) => {
      const value = await createSignallingToken({ peerId, secret, token, sign: session.sign, ts })
      return `/peerjs/peerjs?${new URLSearchParams({ key: 'peerjs', id: peerId, token: value })}`
    }
    return { check, clock, ledger, url }
  }

  it('refuses a replay until the proof is stale, then as stale, and forgets it', async () => {
    const { check, clock, ledger, url } = await checkAt()
    const ts = clock.now
    const proof = await url(ts)
    expect(await check(proof)).toMatchObject({ ok: true })
    clock.now = ts + SIGNALLING_MAX_SKEW_MS
    expect(await check(proof)).toEqual({ ok: false, status: 401, reason: 'the proof was already used' })
    expect(ledger.size).toBe(1)
    clock.now = ts + SIGNALLING_MAX_SKEW_MS + 1000
    expect(await check(proof)).toEqual({ ok: false, status: 401, reason: 'the proof is stale' })
    expect(ledger.size).toBe(0)
  })

  it('answers 503 when too many live proofs are remembered, and takes new ones once they are stale', async () => {
    const { check, clock, url } = await checkAt(2)
    const ts = clock.now
    expect(await check(await url(ts))).toMatchObject({ ok: true })
    expect(await check(await url(ts + 1))).toMatchObject({ ok: true })
    expect(await check(await url(ts + 2))).toEqual({
      ok: false,
      status: 503,
      reason: 'too many recent proofs; try again',
    })
    clock.now = ts + SIGNALLING_MAX_SKEW_MS + 1000
    expect(await check(await url(clock.now))).toMatchObject({ ok: true })
  })
})
