/**
 * Token replay by a participant, over real WebRTC and a real server: Carol, a participant, reads the host's
 * token (and its proof) out of the hello Alice sends her, then tries to be Alice with it. Every
 * layer must refuse: the PeerServer (no key to sign for Alice's token), core at join (the token is
 * bound to another key), and every peer's core (the proof was made for another link).
 */
import './support/webrtc.js'
import type { Meeting, TransportSessionOptions, WireMessage } from '@convene/core'
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  type AuthWorld,
  claimsOf,
  roster,
  sniffing,
  startAuthWorld,
  type Tracked,
} from './support/authWorld.js'
import { waitFor } from './support/sessions.js'

const { createPeerJSTransport } = await import('@convene/transport-peerjs')

let world: AuthWorld
const measured: Record<string, number[]> = {}
const measure = (name: string, ms: number) => {
  measured[name] = [...(measured[name] ?? []), ms]
}

beforeEach(async () => {
  world = await startAuthWorld()
  // Impostors without `auth` get core's development warning; it is noise here.
  vi.spyOn(console, 'warn').mockImplementation(() => {})
})

afterEach(async () => {
  await world.close()
  vi.restoreAllMocks()
})

afterAll(() => {
  const rows = Object.entries(measured).map(([name, values]) => {
    const sorted = [...values].sort((a, b) => a - b)
    return `${name.padEnd(52)} n=${values.length} min=${sorted[0]} max=${sorted.at(-1)} ms`
  })
  console.log(`\nToken replay, measured:\n${rows.join('\n')}\n`)
})

/** The honest room, Carol sniffing; Alice's hello as Carol received it. */
async function roomWithCapturedHello() {
  const hellos: Record<string, unknown>[] = []
  const carolSessions: TransportSessionOptions[] = []
  const carolTransport = sniffing(createPeerJSTransport({ port: world.server.port }), hellos, carolSessions)
  const room = await world.honestRoom(carolTransport)
  const captured = hellos.find((h) => (h.participant as { id: string }).id === 'alice')!
  const hostToken = captured.token as string
  expect(claimsOf(hostToken)).toMatchObject({ role: 'host', sub: 'alice', cnf: { jwk: { kty: 'EC' } } })
  expect(typeof captured.proof).toBe('string')
  return { ...room, captured, hostToken, carolSession: carolSessions[0]! }
}

/** Every membership event the honest three hear from now on. */
function watchMembership(people: Tracked[]) {
  const heard: string[] = []
  for (const { meeting } of people) {
    const me = meeting.localParticipant.id
    meeting.on('participant-joined', (p) => heard.push(`${me}: joined ${p.id}`))
    meeting.on('participant-left', (p, { reason }) => heard.push(`${me}: left ${p.id} ${reason}`))
    meeting.on('meeting-left', ({ reason }) => heard.push(`${me}: meeting-left ${reason}`))
  }
  return heard
}

function expectRoomUnchanged(room: { alice: Tracked; bob: Tracked; carol: Tracked }, aliceSession: string) {
  const { alice, bob, carol } = room
  for (const p of [alice, bob, carol]) expect(p.meeting.meetingState).toBe('CONNECTED')
  expect(roster(alice.meeting)).toEqual(['bob', 'carol'])
  expect(roster(bob.meeting)).toEqual(['alice', 'carol'])
  expect(roster(carol.meeting)).toEqual(['alice', 'bob'])
  for (const p of [bob, carol]) {
    expect(p.meeting.participants.get('alice')).toMatchObject({ role: 'host', sessionId: aliceSession })
  }
}

const quiet = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const failureOf = (meeting: Meeting) =>
  meeting.join().then(
    () => null,
    (e: { code?: string }) => e,
  )

describe("a participant replaying the host's token captured from its hello gets nothing", () => {
  it('as Alice on her own: refused by the PeerServer (no key to sign) or by core at join', async () => {
    const room = await roomWithCapturedHello()
    const aliceSession = room.alice.meeting.localParticipant.sessionId
    const heard = watchMembership([room.alice, room.bob, room.carol])
    const transport = createPeerJSTransport({ port: world.server.port })
    const jwks = world.server.jwksUrl!
    const attempts = {
      // A token string means no session key: nothing to sign the signalling proof with.
      'token string, no auth': { token: room.hostToken },
      'token string, auth allowing bearer tokens': {
        token: room.hostToken,
        auth: { jwks, allowBearerTokens: true },
      },
      // A token function gives a key, but not the one the token names: the proof does not verify.
      'token function, no auth': { token: () => room.hostToken },
      'token function, auth': { token: () => room.hostToken, auth: { jwks } },
    }
    for (const [label, options] of Object.entries(attempts)) {
      const impostor = world.track({ participant: { id: 'alice', role: 'host' }, transport, ...options })
      const started = Date.now()
      const failure = await failureOf(impostor.meeting)
      measure(`refused at join: ${label}`, Date.now() - started)
      const codes = [failure?.code, ...impostor.errors.map((e) => e.code)]
      expect(codes, label).toContain('AUTH_FAILED')
      expect(failure?.code, label).toMatch(/^(JOIN_FAILED|AUTH_FAILED)$/)
      expect(impostor.meeting.participants.size, label).toBe(0)
      await expect(impostor.meeting.end(), label).rejects.toMatchObject({ code: 'NOT_JOINED' })
      if (label.endsWith(', auth')) {
        // Core refuses its own token before anything reaches the network.
        expect(impostor.errors.map((e) => e.message).join(' '), label).not.toContain('PeerServer')
      } else {
        const refusal = impostor.errors.find((e) => e.code === 'AUTH_FAILED')!
        expect(refusal.message, label).toContain('PeerServer refused the signalling connection')
      }
    }
    // Nor does the token list the room: the directory wants a proof by Alice's key with it.
    const listing = await fetch(`${world.server.url}/convene/rooms/standup`, {
      headers: { Authorization: `Bearer ${room.hostToken}` },
    })
    const body = (await listing.json()) as Record<string, unknown>
    expect([listing.status, body.code]).toEqual([401, 'INVALID_PROOF'])
    expect(body).not.toHaveProperty('peers')
    await quiet(1000)
    expectRoomUnchanged(room, aliceSession)
    expect(heard).toEqual([])
  })

  it("as Alice through Carol's own signalling, replaying Alice's whole hello: every peer refuses and cuts her off", async () => {
    const room = await roomWithCapturedHello()
    const { alice, bob, carol, captured, carolSession } = room
    const aliceSession = alice.meeting.localParticipant.sessionId
    const heard = watchMembership([alice, bob, carol])
    const real = createPeerJSTransport({ port: world.server.port })
    const links: { type: string; linkId: string }[] = []
    // A modified client: on the network as Carol (her key signs the PeerServer proof, which the
    // server accepts), but every hello it sends is Alice's, token and proof byte for byte.
    const impostor = world.track({
      participant: { id: 'alice', role: 'host' },
      token: room.hostToken,
      // The server still lists the honest three, whom the impostor can no longer hear: by default that is
      // 30 s of silence allowed; the plain 3 s lets 'impostor alone' below come within the wait.
      connectedDepartureTimeoutMs: 3000,
      transport: {
        name: 'replaying',
        session(options) {
          const { token, sign, freshToken } = carolSession
          const session = real.session({ ...options, participantId: 'carol', token, sign, freshToken })
          return {
            ...session,
            send: (message: WireMessage, to?: string) =>
              session.send(message.type === 'hello' ? (captured as unknown as WireMessage) : message, to),
            events: {
              subscribe: (observer) =>
                session.events.subscribe({
                  ...observer,
                  next(event) {
                    if (event.type === 'link-up' || event.type === 'link-down') links.push(event)
                    observer.next?.(event)
                  },
                }),
            },
          }
        },
      },
    })
    const started = Date.now()
    await impostor.meeting.join()
    await waitFor(
      () => [alice, bob, carol].every((p) => p.errors.some((e) => e.code === 'AUTH_FAILED')),
      30_000,
      'all three refuse the replayed hello',
    )
    measure('replayed hello: join() to refused by all three', Date.now() - started)
    for (const p of [alice, bob, carol]) {
      const refusal = p.errors.find((e) => e.code === 'AUTH_FAILED')!
      expect(refusal.details.participantId).toBe('alice')
    }
    // Cut off: every honest peer closed its link to the impostor.
    const ids = (type: string) => new Set(links.filter((e) => e.type === type).map((e) => e.linkId))
    await waitFor(() => ids('link-up').size === 3 && ids('link-down').size === 3, 30_000, 'links closed')
    measure('replayed hello: join() to cut off by all three', Date.now() - started)
    // Honest peers greet a new link before they have checked it, so the impostor's own roster may
    // list them for a moment; with every link closed they go silent and it is left alone.
    await waitFor(() => impostor.meeting.participants.size === 0, 30_000, 'impostor alone')
    // The impostor believes it is the host: its END goes out, and changes nothing.
    await impostor.meeting.end().catch(() => {})
    await quiet(1500)
    expectRoomUnchanged(room, aliceSession)
    expect(heard).toEqual([])
  })
})
