import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Observer, Transport, TransportEvent, WireMessage } from '../src/index.js'
import { createWorld, ids, type Person } from './support/world.js'

// A transport authoritative for presence, as a server-routed one is: the memory network carries the
// messages, and the test speaks for the server, telling each session who is gone (`presence-gone`).

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

function presenceWorld(presence: 'transport' | 'core' = 'transport') {
  const world = createWorld()
  const observers = new Map<string, Observer<TransportEvent>>()
  const sent: Array<{ from: string; message: WireMessage; to?: string }> = []
  const transport = (): Transport => {
    const inner = world.network.transport()
    return {
      name: 'server-presence',
      presence,
      session(options) {
        const session = inner.session(options)
        return {
          get address() {
            return session.address
          },
          events: {
            subscribe(observer) {
              observers.set(options.sessionId, observer)
              const subscription = session.events.subscribe(observer)
              return {
                unsubscribe() {
                  observers.delete(options.sessionId)
                  subscription.unsubscribe()
                },
              }
            },
          },
          send(message, to) {
            sent.push({ from: options.sessionId, message, ...(to === undefined ? {} : { to }) })
            session.send(message, to)
          },
          drain: () => session.drain?.() ?? Promise.resolve(),
        }
      },
    }
  }
  const person = (id: string, role: 'host' | 'participant' = 'participant') =>
    world.person(id, role, { transport: transport() })
  /** The server tells every other session that `who`'s session is gone. */
  const gone = (who: Person, reason: string) => {
    const sessionId = who.meeting.localParticipant.sessionId
    for (const [id, observer] of observers) {
      if (id !== sessionId) observer.next?.({ type: 'presence-gone', linkId: sessionId, reason } as never)
    }
  }
  const count = (type: string) => sent.filter((s) => s.message.type === type).length
  return { ...world, person, gone, sent, count }
}

const departures = (p: Person) => p.told.filter((e) => e.startsWith('participant-left'))

async function fourInTheRoom(presence: 'transport' | 'core' = 'transport') {
  const world = presenceWorld(presence)
  const alice = world.person('alice', 'host')
  const bob = world.person('bob')
  const carol = world.person('carol')
  const dave = world.person('dave')
  await world.joinAll(alice, bob, carol, dave)
  return { world, alice, bob, carol, dave }
}

describe('a transport authoritative for presence', () => {
  it('gets no heartbeats: steady state is silent, where core presence heartbeats N(N-1) a beat', async () => {
    const byTransport = await fourInTheRoom('transport')
    const byCore = await fourInTheRoom('core')
    for (const w of [byTransport.world, byCore.world]) w.sent.length = 0
    await Promise.all([byTransport.world.advance(10_000), byCore.world.advance(10_000)])
    expect(byTransport.world.sent).toEqual([])
    // Core's heartbeats go to every link at once (one send, three deliveries) once a second.
    expect(byCore.world.count('heartbeat')).toBeGreaterThanOrEqual(4 * 9)
  })

  it('a silent participant is never declared gone by core: the transport decides', async () => {
    const { world, alice, bob, dave } = await fourInTheRoom()
    world.network.crash('dave')
    await world.advance(60_000)
    expect(departures(alice)).toEqual([])
    expect(ids(bob.meeting)).toContain('dave')
    world.gone(dave, 'lost')
    await world.advance(10)
    expect(departures(alice)).toEqual(['participant-left:dave:disconnected'])
    expect(departures(bob)).toEqual(['participant-left:dave:disconnected'])
  })

  it("'lost' twice, or after a LEAVE, is announced once; 'left' reads as left", async () => {
    const { world, alice, bob, carol, dave } = await fourInTheRoom()
    world.gone(dave, 'lost')
    world.gone(dave, 'lost')
    await Promise.all([carol.meeting.leave(), world.advance(2000)])
    world.gone(carol, 'left')
    world.gone(carol, 'lost')
    await world.advance(5000)
    for (const p of [alice, bob]) {
      expect(departures(p)).toEqual(['participant-left:dave:disconnected', 'participant-left:carol:left'])
    }
  })

  it('leave(): nobody confirms the LEAVE and the leaver does not wait; the others are told once, as left', async () => {
    const { world, alice, bob, carol, dave } = await fourInTheRoom()
    world.sent.length = 0
    await dave.meeting.leave()
    await world.advance(10)
    expect(world.count('leave')).toBe(1)
    expect(world.count('ack')).toBe(0)
    for (const p of [alice, bob, carol]) expect(departures(p)).toEqual(['participant-left:dave:left'])
    // The relay's own word that dave left changes nothing more.
    world.gone(dave, 'left')
    await world.advance(5000)
    for (const p of [alice, bob, carol]) expect(departures(p)).toEqual(['participant-left:dave:left'])
    expect(world.count('leave')).toBe(1)
  })

  it("'left' before the LEAVE arrives: announced as left once, the late LEAVE changes nothing", async () => {
    const { world, alice, bob } = await fourInTheRoom()
    world.gone(bob, 'left')
    await world.advance(10)
    await Promise.all([bob.meeting.leave(), world.advance(2000)])
    await world.advance(5000)
    expect(departures(alice)).toEqual(['participant-left:bob:left'])
    expect(ids(alice.meeting)).toEqual(['carol', 'dave'])
  })

  it("a 'lost' session that speaks again comes back as a new arrival (not a final departure)", async () => {
    const { world, alice, dave } = await fourInTheRoom()
    world.gone(dave, 'lost')
    await world.advance(10)
    // Dave did not know: he goes on, and his next message makes alice ask for his hello.
    await dave.meeting.muteMic()
    await world.advance(100)
    expect(alice.told.filter((e) => e.includes(':dave'))).toEqual([
      'participant-joined:dave',
      'participant-left:dave:disconnected',
      'participant-joined:dave',
    ])
  })

  it('end(): one END, nobody confirms it or passes it on (no N² storm), and a participant gone meanwhile is not waited for', async () => {
    const { world, alice, bob, carol, dave } = await fourInTheRoom()
    world.sent.length = 0
    const ended = alice.meeting.end()
    world.gone(dave, 'lost')
    await Promise.all([ended, world.advance(5000)])
    expect(world.count('end')).toBe(1)
    expect(world.count('ack')).toBe(0)
    expect(
      world.sent.filter(
        (s) => s.message.type === 'end' && s.from !== alice.meeting.localParticipant.sessionId,
      ),
    ).toEqual([])
    for (const p of [bob, carol, dave]) expect(p.told).toContain('meeting-left:ended')
    // Alice was out of the meeting when dave went: nothing more reached her app.
    expect(departures(alice)).toEqual([])
    expect(alice.meeting.meetingState).toBe('DISCONNECTED')
  })

  it('presence-gone from a transport that is not authoritative is refused as malformed and changes nothing', async () => {
    const { world, alice, dave } = await fourInTheRoom('core')
    world.gone(dave, 'lost')
    await world.advance(10)
    expect(alice.told.at(-1)).toBe('error:TRANSPORT_ERROR')
    expect(ids(alice.meeting)).toEqual(['bob', 'carol', 'dave'])
  })

  it('a presence-gone of the wrong shape is refused and changes nothing', async () => {
    const { world, alice, dave } = await fourInTheRoom()
    world.gone(dave, 'vanished')
    await world.advance(10)
    expect(alice.told.at(-1)).toBe('error:TRANSPORT_ERROR')
    expect(ids(alice.meeting)).toEqual(['bob', 'carol', 'dave'])
  })

  it('newest session wins: the older session steps down, the others tell one departure', async () => {
    const { world, alice, bob } = await fourInTheRoom()
    const twin = world.person('bob')
    await world.joinAll(twin)
    await world.advance(2000)
    expect(bob.told.at(-1)).toBe('meeting-left:duplicate')
    world.gone(bob, 'left')
    await world.advance(2000)
    expect(alice.told.filter((e) => e.includes(':bob'))).toEqual([
      'participant-joined:bob',
      'participant-left:bob:disconnected',
      'participant-joined:bob',
    ])
    expect(alice.meeting.participants.get('bob')?.sessionId).toBe(twin.meeting.localParticipant.sessionId)
  })
})
