/**
 * The signalling credential alone, without core: what the transport signs for the PeerServer, across
 * a reconnect, and what a refusal looks like to core.
 */
import './support/webrtc.js'
import { randomUUID } from 'node:crypto'
import type { MeetingError, TransportEvent } from '@convene/core'
import { directoryPayload, signallingPayload } from '@convene/core/wire'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type AuthWorld, ownKey, startAuthWorld } from './support/authWorld.js'
import { waitFor } from './support/sessions.js'

const { createPeerJSTransport } = await import('@convene/transport-peerjs')

let world: AuthWorld
const closers: (() => void)[] = []

beforeEach(async () => {
  world = await startAuthWorld()
})

afterEach(async () => {
  for (const close of closers.splice(0)) close()
  await world.close()
})

/** A transport session signed with `key`, recording its events and everything it asked `key` to sign. */
async function signedSession(
  participantId: string,
  key: Awaited<ReturnType<typeof ownKey>>,
  token: string,
  refresh: (attempt: number) => Promise<string> = async () => token,
) {
  const signed: string[] = []
  const events: TransportEvent[] = []
  let refreshes = 0
  const session = createPeerJSTransport({ port: world.server.port, reconnect: 200 }).session({
    meetingId: 'standup',
    participantId,
    sessionId: randomUUID(),
    token,
    sign: (data) => {
      signed.push(data)
      return key.sign(data)
    },
    freshToken: () => {
      refreshes += 1
      return refresh(refreshes)
    },
  })
  const subscription = session.events.subscribe({ next: (event) => events.push(event) })
  closers.push(() => subscription.unsubscribe())
  return { session, signed, events, refreshes: () => refreshes }
}

describe('the signalling proof of possession', () => {
  it("signs the server's payload for its own address; after a drop, signs again with the same secret, a fresh token and a new time", async () => {
    const key = await ownKey()
    const token = await world.postToken({
      meetingId: 'standup',
      participantId: 'ada',
      role: 'participant',
      publicKey: key.publicKey,
    })
    const ada = await signedSession('ada', key, token)
    const signals = () => ada.signed.filter((data) => data.startsWith('convene-signal-v1\n'))
    const listings = () => ada.signed.filter((data) => data.startsWith('convene-directory-v1\n'))
    await waitFor(() => ada.events.some((e) => e.type === 'ready'), 30_000, 'ada registered')
    expect(signals()).toHaveLength(1)
    const [context, peerId, ts, secret] = signals()[0]!.split('\n')
    expect(peerId).toBe(ada.session.address)
    expect(signals()[0]).toBe(signallingPayload(peerId!, Number(ts), secret!))
    expect(context).toBe('convene-signal-v1')
    expect(secret).toMatch(/^[A-Za-z0-9_-]{16,43}$/)
    expect(Math.abs(Number(ts) - Date.now())).toBeLessThan(30_000)
    // The directory listing that made her ready carried its own proof, for the meeting and her address.
    expect(listings()).toHaveLength(1)
    const listingTs = Number(listings()[0]!.split('\n')[3])
    expect(listings()[0]).toBe(directoryPayload('standup', peerId!, listingTs))
    expect(ada.signed).toHaveLength(2)

    await world.restartServer(500)
    // Alone in the meeting, ada is off the network until the PeerServer lets her back in.
    await waitFor(
      () => ada.events.some((e) => e.type === 'reconnected') && listings().length >= 2,
      30_000,
      'ada back on the PeerServer, and listed again',
    )
    const last = signals().at(-1)!.split('\n')
    expect(last[1]).toBe(peerId)
    expect(last[3]).toBe(secret)
    expect(Number(last[2])).toBeGreaterThan(Number(ts))
    expect(ada.refreshes()).toBe(signals().length - 1)
    // Every proof has a time of its own, strictly increasing: the server takes each one once.
    const times = ada.signed.map((data) =>
      Number(data.startsWith('convene-signal') ? data.split('\n')[2] : data.split('\n')[3]),
    )
    expect(times).toEqual([...times].sort((a, b) => a - b))
    expect(new Set(times).size).toBe(times.length)
    expect(ada.events.filter((e) => e.type === 'error')).toEqual([])
  })

  it('a proof by another key than the token names is refused by the PeerServer: one fatal AUTH_FAILED, nothing else', async () => {
    const [bound, other] = [await ownKey(), await ownKey()]
    const token = await world.postToken({
      meetingId: 'standup',
      participantId: 'ada',
      role: 'participant',
      publicKey: bound.publicKey,
    })
    const ada = await signedSession('ada', other, token)
    await waitFor(() => ada.events.length > 0, 30_000, 'an answer')
    await new Promise((resolve) => setTimeout(resolve, 500))
    expect(ada.events).toHaveLength(1)
    const [event] = ada.events as [Extract<TransportEvent, { type: 'error' }>]
    expect(event).toMatchObject({ type: 'error', fatal: true })
    const error = event.error as MeetingError
    expect(error.code).toBe('AUTH_FAILED')
    expect(error.message).toContain("refused this session's proof of possession")
    // The directory, asked with a fresh proof by the same key, names what is wrong with it.
    expect(error.message).toContain('the signature does not hold')
  })

  it('a token function failing during an outage is reported once, not fatal, and the next attempt gets back in', async () => {
    const key = await ownKey()
    const token = await world.postToken({
      meetingId: 'standup',
      participantId: 'ada',
      role: 'participant',
      publicKey: key.publicKey,
    })
    const outage = new Error('token backend down')
    const ada = await signedSession('ada', key, token, async (attempt) => {
      if (attempt <= 3) throw outage
      return token
    })
    await waitFor(() => ada.events.some((e) => e.type === 'ready'), 30_000, 'ada registered')
    await world.restartServer(100)
    await waitFor(() => ada.events.some((e) => e.type === 'reconnected'), 30_000, 'ada back')
    expect(ada.refreshes()).toBeGreaterThanOrEqual(4)
    expect(ada.events.filter((e) => e.type === 'error')).toEqual([
      { type: 'error', error: outage, fatal: false },
    ])
  })
})
