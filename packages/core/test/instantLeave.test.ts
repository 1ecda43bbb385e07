import { describe, expect, it } from 'vitest'
import type { MemoryMediaStream } from '../src/index.js'
import { useFakeClock } from './support/timers.js'
import { createWorld, ids, type Person } from './support/world.js'

// The one who leaves must not wait longest: leave() and end() settle, meeting-left fires and the local
// camera and microphone stop at once, whatever the network does with the goodbye. Time is simulated.
useFakeClock()

const LATENCY_MS = 300

/** Everything the app can observe of one meeting, after a mark: events, state changes, snapshot changes. */
function watch(person: Person) {
  const seen: string[] = []
  const { meeting } = person
  meeting.on('meeting-state-changed', ({ state }) => seen.push(`state:${state}`))
  meeting.subscribe(() => seen.push(`snapshot:${meeting.getSnapshot().status}`))
  return seen
}

// Each person's local stand-in stream, as the app got it while in the meeting.
const streams = new Map<Person, MemoryMediaStream>()
const tracks = (person: Person) => (streams.get(person)?.getTracks() ?? []).map((t) => t.readyState)

async function fourPeople(extra: { drop?: number } = {}) {
  const world = createWorld({ localMedia: true })
  const [alice, bob, carol, dave] = [
    world.person('alice', 'host'),
    world.person('bob'),
    world.person('carol'),
    world.person('dave'),
  ] as [Person, Person, Person, Person]
  await world.joinAll(alice, bob, carol, dave)
  for (const person of [alice, bob, carol, dave]) {
    streams.set(person, person.meeting.localParticipant.stream as MemoryMediaStream)
  }
  world.network.setFaults({ delayMs: LATENCY_MS, ...extra })
  return { world, alice, bob, carol, dave }
}

/** Calls `act` and advances the clock 1 ms at a time until it settles; returns the simulated ms it took. */
async function timed(world: ReturnType<typeof createWorld>, act: () => Promise<void>): Promise<number> {
  const started = Date.now()
  let settled = false
  const done = act().then(() => {
    settled = true
  })
  while (!settled && Date.now() - started < 5000) await world.advance(1)
  await done
  return Date.now() - started
}

describe('leave() and end() are over for the caller at once (300 ms per message on the network)', () => {
  it.each([
    ['leave()', 0],
    ['leave(), with every ack lost', 1],
  ])(
    '%s: resolves, meeting-left fired and local tracks ended within 100 ms; the others are told later',
    async (_label, drop) => {
      const { world, alice, bob, carol, dave } = await fourPeople({ drop })
      expect(tracks(bob)).toEqual(['live', 'live'])
      let tracksAtLeft: string[] = []
      bob.meeting.on('meeting-left', () => {
        tracksAtLeft = tracks(bob)
      })
      const told = bob.told.length
      const seen = watch(bob)
      const took = await timed(world, () => bob.meeting.leave())
      expect(took).toBeLessThan(100)
      expect(bob.told.slice(told)).toEqual(['meeting-left:left'])
      expect(tracksAtLeft).toEqual(['ended', 'ended'])
      expect(bob.meeting.participants.size).toBe(0)
      // The statechart (what an inspector sees) is still delivering the goodbye.
      expect(bob.meeting.actor.getSnapshot().value).toEqual({ leaving: 'awaitingAcks' })
      const seenAtLeft = [...seen]
      // Delivered once confirmed; with every ack lost, resent until leaveTimeoutMs (10 s by default).
      await world.advance(drop === 0 ? 2000 : 10_000)
      expect(bob.meeting.actor.getSnapshot().value).toBe('ended')
      // Nothing reached the app after meeting-left: no event, no state change, no new snapshot.
      expect(bob.told.slice(told)).toEqual(['meeting-left:left'])
      expect(seen).toEqual(seenAtLeft)
      expect(seenAtLeft).toEqual(['state:DISCONNECTED', 'snapshot:ended'])
      if (drop === 0) {
        for (const other of [alice, carol, dave]) {
          expect(other.told.filter((e) => e.startsWith('participant-left:bob'))).toEqual([
            'participant-left:bob:left',
          ])
        }
      }
      expect(world.network.sessions().find((s) => s.participantId === 'bob')?.state).toBe('closed')
    },
  )

  it('end(): the host is out within 100 ms; everyone else hears meeting-left ended once, later', async () => {
    const { world, alice, bob, carol, dave } = await fourPeople()
    const seen = watch(alice)
    const told = alice.told.length
    const took = await timed(world, () => alice.meeting.end())
    expect(took).toBeLessThan(100)
    expect(alice.told.slice(told)).toEqual(['meeting-left:ended'])
    expect(tracks(alice)).toEqual(['ended', 'ended'])
    for (const other of [bob, carol, dave]) expect(other.told.at(-1)).not.toBe('meeting-left:ended')
    await world.advance(2000)
    for (const other of [bob, carol, dave]) {
      expect(other.told.filter((e) => e.startsWith('meeting-left'))).toEqual(['meeting-left:ended'])
      expect(tracks(other)).toEqual(['ended', 'ended'])
    }
    expect(alice.told.slice(told)).toEqual(['meeting-left:ended'])
    expect(seen).toEqual(['state:DISCONNECTED', 'snapshot:ended'])
  })

  it('a removed participant is out at once too: meeting-left removed and tracks ended on arrival of the REMOVE', async () => {
    const { world, alice, dave } = await fourPeople()
    let tracksAtLeft: string[] = []
    dave.meeting.on('meeting-left', () => {
      tracksAtLeft = tracks(dave)
    })
    await alice.meeting.removeParticipant('dave')
    await world.advance(LATENCY_MS + 5)
    expect(dave.told.at(-1)).toBe('meeting-left:removed')
    expect(tracksAtLeft).toEqual(['ended', 'ended'])
  })

  it('what arrives while the goodbye is delivered (garbage included) tells the app nothing', async () => {
    const { world, bob, carol } = await fourPeople()
    const told = bob.told.length
    await bob.meeting.leave()
    world.network.inject(bob.meeting.localParticipant.sessionId, { v: 1, type: 'nonsense' })
    world.network.inject(
      bob.meeting.localParticipant.sessionId,
      'garbage',
      carol.meeting.localParticipant.sessionId,
    )
    await world.advance(2000)
    expect(bob.told.slice(told)).toEqual(['meeting-left:left'])
  })

  it('join() right after leave() starts a new session once the goodbye is delivered; the others see leave, then join', async () => {
    const { world, alice, bob } = await fourPeople()
    const first = bob.meeting.localParticipant.sessionId
    await bob.meeting.leave()
    const rejoined = bob.meeting.join()
    await world.advance(3000)
    await rejoined
    expect(bob.meeting.localParticipant.sessionId).not.toBe(first)
    expect(ids(bob.meeting)).toEqual(['alice', 'carol', 'dave'])
    expect(alice.told.filter((e) => e.includes('bob'))).toEqual([
      'participant-joined:bob',
      'participant-left:bob:left',
      'participant-joined:bob',
    ])
    expect(bob.told.filter((e) => e.startsWith('meeting'))).toEqual([
      'meeting-joined',
      'meeting-left:left',
      'meeting-joined',
    ])
  })

  it.each([
    ['right after leave()', 0],
    ['2 s after leave()', 2000],
  ])(
    'join() %s, with the goodbye never confirmed, waits for it 1 s at most (not leaveTimeoutMs)',
    async (_label, after) => {
      const { world, bob } = await fourPeople()
      // Nobody hears bob, so nobody confirms his goodbye: it would be resent for 10 s.
      world.network.partition(['bob'], ['alice', 'carol', 'dave'])
      await bob.meeting.leave()
      await world.advance(after)
      expect(bob.meeting.actor.getSnapshot().matches('leaving')).toBe(true)
      void bob.meeting.join().catch(() => {})
      await world.advance(1000)
      expect(bob.meeting.actor.getSnapshot().matches('leaving')).toBe(false)
      expect(bob.meeting.getSnapshot().status).toBe('joining')
    },
  )
})
