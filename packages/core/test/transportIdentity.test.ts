import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  type AttestedPeer,
  type Observer,
  PROTOCOL_VERSION,
  type Transport,
  type TransportEvent,
  type TransportSession,
  type WireMessage,
} from '../src/index.js'
import { createTestIssuer } from './support/tokens.js'
import { createWorld, ids, type Person } from './support/world.js'

// A transport that attests identity and presence, as the Socket.IO relay does: the memory network
// carries the messages, and the test speaks for the server, which introduces each session on its
// link-up with the record it vouches for (here: what the session presented, or the role a token gave).

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

function attestingWorld(options: { verified?: boolean } = {}) {
  const world = createWorld()
  const records = new Map<string, AttestedPeer>()
  /** The role the "server" grants a participant id, whatever its session claims (a token's). */
  const granted = new Map<string, 'host' | 'participant'>()
  const observers = new Map<string, Observer<TransportEvent>>()
  const sessions = new Map<string, TransportSession>()
  const sent: Array<{ from: string; message: WireMessage; to?: string }> = []
  const transport = (): Transport => {
    const inner = world.network.transport()
    return {
      name: 'attesting',
      presence: 'transport',
      identity: 'transport',
      session(sessionOptions) {
        const { sessionId, participantId, self } = sessionOptions
        if (!self) throw new Error('core gave no `self` to a transport that attests identity')
        records.set(sessionId, {
          participant: { id: participantId, name: self.name, role: granted.get(participantId) ?? self.role },
          session: sessionId,
          joinedAt: self.joinedAt,
          media: self.media,
          verified: options.verified ?? true,
        })
        const session = inner.session(sessionOptions)
        sessions.set(sessionId, session)
        return {
          get address() {
            return session.address
          },
          events: {
            subscribe(observer) {
              observers.set(sessionId, observer)
              const subscription = session.events.subscribe({
                next(event) {
                  const peer = event.type === 'link-up' ? records.get(event.linkId) : undefined
                  observer.next?.(peer && event.type === 'link-up' ? { ...event, peer } : event)
                },
              })
              return {
                unsubscribe() {
                  observers.delete(sessionId)
                  subscription.unsubscribe()
                },
              }
            },
          },
          send(message, to) {
            sent.push({ from: sessionId, message, ...(to === undefined ? {} : { to }) })
            session.send(message, to)
          },
          drain: () => session.drain?.() ?? Promise.resolve(),
        }
      },
    }
  }
  const person = (
    id: string,
    role: 'host' | 'participant' = 'participant',
    extra: Parameters<typeof world.person>[2] = {},
  ) => world.person(id, role, { transport: transport(), ...extra })
  const sessionOf = (p: Person) => p.meeting.localParticipant.sessionId
  /** A modified client: `from` sends raw data on its own link to everyone. */
  const say = (from: Person, data: object) => {
    const session = sessions.get(sessionOf(from))
    session?.send(data as WireMessage)
  }
  /** The server tells every other session about `who`: gone, or (back) on a fresh link. */
  const tell = (who: Person, event: (linkId: string) => TransportEvent) => {
    for (const [id, observer] of observers) if (id !== sessionOf(who)) observer.next?.(event(sessionOf(who)))
  }
  const count = (type: string) => sent.filter((s) => s.message.type === type).length
  return { ...world, person, granted, say, tell, records, sent, count, sessionOf }
}

const departures = (p: Person) => p.told.filter((e) => e.startsWith('participant-left'))

async function fourInTheRoom(options: { verified?: boolean } = {}) {
  const world = attestingWorld(options)
  const alice = world.person('alice', 'host')
  const bob = world.person('bob')
  const carol = world.person('carol')
  const dave = world.person('dave')
  await world.joinAll(alice, bob, carol, dave)
  return { world, alice, bob, carol, dave }
}

describe('a transport that attests identity', () => {
  it('a join sends no hello: the roster, names and roles come from the records', async () => {
    const { world, alice, bob, carol, dave } = await fourInTheRoom()
    expect(world.count('hello')).toBe(0)
    for (const p of [alice, bob, carol, dave]) {
      expect(p.told.filter((e) => e.startsWith('error'))).toEqual([])
      expect(p.meeting.meetingState).toBe('CONNECTED')
    }
    expect(ids(bob.meeting)).toEqual(['alice', 'carol', 'dave'])
    expect(bob.meeting.participants.get('alice')).toMatchObject({ name: 'ALICE', role: 'host' })
    expect(alice.told.filter((e) => e.startsWith('participant-joined'))).toEqual([
      'participant-joined:bob',
      'participant-joined:carol',
      'participant-joined:dave',
    ])
  })

  it('the role is the server’s: a session claiming host that the server did not make one is a participant, and its END is refused', async () => {
    const world = attestingWorld()
    world.granted.set('mallory', 'participant')
    const alice = world.person('alice', 'host')
    const bob = world.person('bob')
    const mallory = world.person('mallory', 'host')
    await world.joinAll(alice, bob, mallory)
    expect(bob.meeting.participants.get('mallory')?.role).toBe('participant')
    const session = world.sessionOf(mallory)
    world.say(mallory, { v: PROTOCOL_VERSION, type: 'end', session, seq: 100, origin: session })
    await world.advance(100)
    expect(bob.told.at(-1)).toBe('error:UNAUTHORIZED_COMMAND')
    expect(bob.meeting.meetingState).toBe('CONNECTED')
    expect(ids(bob.meeting)).toEqual(['alice', 'mallory'])
  })

  it("words in another session's name are refused: a host's END, a hello claiming host; nothing changes", async () => {
    const { world, alice, bob, carol, dave } = await fourInTheRoom()
    const host = world.sessionOf(alice)
    const own = world.sessionOf(dave)
    // Dave's own session, END in alice's name: not straight from the host.
    world.say(dave, { v: PROTOCOL_VERSION, type: 'end', session: own, seq: 100, origin: host })
    // Alice's session on dave's link.
    world.say(dave, { v: PROTOCOL_VERSION, type: 'end', session: host, seq: 101, origin: host })
    // A hello of his own, claiming to be a host called alice.
    world.say(dave, {
      v: PROTOCOL_VERSION,
      type: 'hello',
      session: 'forged',
      seq: 102,
      meetingId: 'standup',
      participant: { id: 'alice', name: 'x', role: 'host' },
      joinedAt: 10 ** 12,
      heartbeatIntervalMs: 1000,
    })
    await world.advance(100)
    for (const p of [bob, carol]) {
      expect(p.told.slice(-3)).toEqual([
        'error:UNAUTHORIZED_COMMAND',
        'error:AUTH_FAILED',
        'error:AUTH_FAILED',
      ])
      expect(p.meeting.meetingState).toBe('CONNECTED')
      expect(p.meeting.participants.get('alice')?.sessionId).toBe(host)
      expect(departures(p)).toEqual([])
    }
    expect(alice.meeting.meetingState).toBe('CONNECTED')
  })

  it('end() by the host is obeyed by everyone, and nobody passes it on', async () => {
    const { world, alice, bob, carol, dave } = await fourInTheRoom()
    world.sent.length = 0
    await Promise.all([alice.meeting.end(), world.advance(5000)])
    expect(world.count('end')).toBe(1)
    for (const p of [bob, carol, dave]) {
      expect(p.told.at(-1)).toBe('meeting-left:ended')
      expect(departures(p)).toEqual([])
    }
  })

  it("a 'lost' session the server brings back on a fresh link is a new arrival", async () => {
    const { world, alice, bob, dave } = await fourInTheRoom()
    world.tell(dave, (linkId) => ({ type: 'link-down', linkId }))
    world.tell(dave, (linkId) => ({ type: 'presence-gone', linkId, reason: 'lost' }))
    await world.advance(10)
    // Dave did not know: he goes on, and his words alone bring him back to nobody.
    await dave.meeting.muteMic()
    await world.advance(100)
    expect(ids(alice.meeting)).toEqual(['bob', 'carol'])
    const peer = world.records.get(world.sessionOf(dave))
    world.tell(dave, (linkId) => ({ type: 'link-up', linkId, ...(peer ? { peer } : {}) }))
    await world.advance(10)
    for (const p of [alice, bob]) {
      expect(p.told.filter((e) => e.includes(':dave'))).toEqual([
        'participant-joined:dave',
        'participant-left:dave:disconnected',
        'participant-joined:dave',
      ])
    }
    expect(world.count('hello')).toBe(0)
  })

  it('a session that never spoke, lost and brought back twice, is let in again each time', async () => {
    const { world, alice, bob, dave } = await fourInTheRoom()
    const peer = world.records.get(world.sessionOf(dave))
    for (let round = 0; round < 2; round++) {
      world.tell(dave, (linkId) => ({ type: 'presence-gone', linkId, reason: 'lost' }))
      world.tell(dave, (linkId) => ({ type: 'link-down', linkId }))
      await world.advance(10)
      world.tell(dave, (linkId) => ({ type: 'link-up', linkId, ...(peer ? { peer } : {}) }))
      await world.advance(10)
    }
    for (const p of [alice, bob]) {
      expect(p.told.filter((e) => e.includes(':dave'))).toEqual([
        'participant-joined:dave',
        'participant-left:dave:disconnected',
        'participant-joined:dave',
        'participant-left:dave:disconnected',
        'participant-joined:dave',
      ])
      expect(ids(p.meeting)).toContain('dave')
    }
    // His next media change still counts: the hello made for him sits before his next message.
    await dave.meeting.muteMic()
    await world.advance(100)
    expect(alice.meeting.participants.get('dave')?.micOn).toBe(false)
  })

  it('newest session wins: the older steps down with duplicate, the others tell one departure', async () => {
    const { world, alice, bob } = await fourInTheRoom()
    const twin = world.person('bob')
    await world.joinAll(twin)
    await world.advance(2000)
    expect(bob.told.at(-1)).toBe('meeting-left:duplicate')
    expect(alice.told.filter((e) => e.includes(':bob'))).toEqual([
      'participant-joined:bob',
      'participant-left:bob:disconnected',
      'participant-joined:bob',
    ])
    expect(alice.meeting.participants.get('bob')?.sessionId).toBe(world.sessionOf(twin))
  })

  it('with auth, a session the transport did not verify is refused with AUTH_FAILED and never admitted', async () => {
    const world = attestingWorld({ verified: false })
    const issuer = await createTestIssuer()
    const token = await issuer.token({ meetingId: 'standup', participantId: 'alice', role: 'host' })
    const alice = world.person('alice', 'host', {
      token,
      auth: { jwks: issuer.jwks, allowBearerTokens: true },
    })
    const bob = world.person('bob')
    // Alice's own bearer token is checked on WebCrypto's clock: let it finish.
    const joined = alice.meeting.join()
    await vi.waitFor(async () => {
      await world.advance(50)
      expect(alice.meeting.meetingState).toBe('CONNECTED')
    })
    await joined
    await world.joinAll(bob)
    await world.advance(100)
    expect(alice.told).toContain('error:AUTH_FAILED')
    expect(ids(alice.meeting)).toEqual([])
    expect(world.count('hello')).toBe(0)
  })

  it('a record from a transport that does not attest identity is refused as malformed', async () => {
    const world = createWorld()
    const inner = world.network.transport()
    let observer: Observer<TransportEvent> | null = null
    const transport: Transport = {
      name: 'plain',
      session(options) {
        const session = inner.session(options)
        return {
          ...session,
          send: (m, to) => session.send(m, to),
          events: {
            subscribe(o) {
              observer = o
              return session.events.subscribe(o)
            },
          },
        }
      },
    }
    const alice = world.person('alice', 'host', { transport })
    await world.joinAll(alice)
    const peer: AttestedPeer = {
      participant: { id: 'eve', name: 'eve', role: 'host' },
      session: 'eve#1',
      joinedAt: 1,
      verified: true,
    }
    ;(observer as Observer<TransportEvent> | null)?.next?.({ type: 'link-up', linkId: 'eve#1', peer })
    await world.advance(10)
    expect(alice.told.at(-1)).toBe('error:TRANSPORT_ERROR')
    expect(ids(alice.meeting)).toEqual([])
  })
})
