import { describe, expect, it } from 'vitest'
import { MeetingError } from '../src/index.js'
import { signallingWorld } from './support/signallingWorld.js'
import { useFakeClock } from './support/timers.js'
import type { Person } from './support/world.js'

// The departure detector with the signalling server's word (`signalling-presence`) as a second signal:
// a session still connected to the server is not gone after 3 s of silence (a starved tab, a link being
// redialled), one whose connection closed is gone after 1.5 s (a crash, found sooner), and without a
// word from the server nothing changes. Default timings: heartbeats 1 s, departureTimeoutMs 3 s,
// connectedDepartureTimeoutMs 30 s. Time is simulated.
useFakeClock()

const departures = (p: Person) => p.told.filter((e) => e.startsWith('participant-left'))

async function aliceAndBob(
  timing: { departureTimeoutMs?: number; connectedDepartureTimeoutMs?: number } = {},
) {
  const world = signallingWorld()
  const alice = world.person('alice', 'host', timing)
  const bob = world.person('bob')
  await world.joinAll(alice, bob)
  await world.advance(5000)
  // When alice is told bob left, by the fake clock.
  let goneAt = Number.NaN
  alice.meeting.on('participant-left', () => {
    goneAt = Date.now()
  })
  return { world, alice, bob, goneAt: () => goneAt }
}

describe('departures with the signalling server as a second signal', () => {
  it.each([6000, 27_000])(
    'a session silent %i ms while reported connected is not declared gone (a starved tab, a stuck link)',
    async (ms) => {
      const { world, alice, bob } = await aliceAndBob()
      world.report(alice, [bob])
      world.network.partition(['alice'], ['bob'])
      await world.advance(ms)
      world.network.heal()
      await world.advance(5000)
      expect(departures(alice)).toEqual([])
      expect(alice.meeting.participants.has('bob')).toBe(true)
    },
  )

  it('a session reported connected but silent past connectedDepartureTimeoutMs is declared gone then', async () => {
    const { world, alice, bob, goneAt } = await aliceAndBob()
    world.report(alice, [bob])
    world.network.crash('bob')
    await world.advance(29_000)
    expect(departures(alice)).toEqual([])
    await world.advance(4000)
    expect(departures(alice)).toEqual(['participant-left:bob:disconnected'])
    const silence = goneAt() - world.heardAt(alice)
    expect(silence).toBeGreaterThanOrEqual(30_000)
    expect(silence).toBeLessThan(30_000 + 50)
  })

  it('a session whose signalling connection closed is declared gone after 1.5 s of silence', async () => {
    const { world, alice, goneAt } = await aliceAndBob()
    world.network.crash('bob')
    world.report(alice, [])
    await world.advance(4000)
    expect(departures(alice)).toEqual(['participant-left:bob:disconnected'])
    const silence = goneAt() - world.heardAt(alice)
    expect(silence).toBeGreaterThanOrEqual(1500)
    expect(silence).toBeLessThan(1500 + 50)
  })

  it('a report that comes after 1.5 s of silence is acted on at once, not at the next tick', async () => {
    const { world, alice, bob, goneAt } = await aliceAndBob()
    world.report(alice, [bob])
    world.network.crash('bob')
    await world.advance(2500)
    expect(departures(alice)).toEqual([])
    const reportedAt = Date.now()
    world.report(alice, [])
    await world.advance(10)
    expect(departures(alice)).toEqual(['participant-left:bob:disconnected'])
    expect(goneAt() - reportedAt).toBeLessThan(10)
  })

  it('a session reported not connected that keeps beating is never declared gone', async () => {
    const { world, alice, bob } = await aliceAndBob()
    world.report(alice, [])
    await world.advance(30_000)
    expect(departures(alice)).toEqual([])
    expect(alice.meeting.participants.has('bob')).toBe(true)
    expect(bob.meeting.meetingState).toBe('CONNECTED')
  })

  it('null (the server cannot be heard) reverts to 3 s of silence', async () => {
    const { world, alice, bob, goneAt } = await aliceAndBob()
    world.report(alice, [bob])
    world.report(alice, null)
    world.network.crash('bob')
    await world.advance(5000)
    expect(departures(alice)).toEqual(['participant-left:bob:disconnected'])
    const silence = goneAt() - world.heardAt(alice)
    expect(silence).toBeGreaterThanOrEqual(3000)
    expect(silence).toBeLessThan(3000 + 50)
  })

  it('a session silent 5 s while reported connected is gone as soon as the report turns null', async () => {
    const { world, alice, bob, goneAt } = await aliceAndBob()
    world.report(alice, [bob])
    world.network.crash('bob')
    await world.advance(5000)
    expect(departures(alice)).toEqual([])
    const reportedAt = Date.now()
    world.report(alice, null)
    await world.advance(10)
    expect(departures(alice)).toEqual(['participant-left:bob:disconnected'])
    expect(goneAt() - reportedAt).toBeLessThan(10)
  })

  it('a leave is still told once as left, however the server reports the leaver afterwards', async () => {
    const { world, alice, bob } = await aliceAndBob()
    world.report(alice, [bob])
    await bob.meeting.leave()
    world.report(alice, [])
    await world.advance(15_000)
    expect(departures(alice)).toEqual(['participant-left:bob:left'])
  })

  it('a crash is told once: further reports that it is gone change nothing', async () => {
    const { world, alice } = await aliceAndBob()
    world.network.crash('bob')
    world.report(alice, [])
    await world.advance(4000)
    world.report(alice, [])
    world.report(alice, null)
    await world.advance(15_000)
    expect(departures(alice)).toEqual(['participant-left:bob:disconnected'])
  })
})

describe('connectedDepartureTimeoutMs', () => {
  it('sets the allowance of a session reported connected', async () => {
    const { world, alice, bob, goneAt } = await aliceAndBob({ connectedDepartureTimeoutMs: 5000 })
    world.report(alice, [bob])
    world.network.crash('bob')
    await world.advance(8000)
    const silence = goneAt() - world.heardAt(alice)
    expect(silence).toBeGreaterThanOrEqual(5000)
    expect(silence).toBeLessThan(5000 + 50)
  })

  it('left out, follows a longer departureTimeoutMs: a connected session never goes sooner than a silent one', async () => {
    const { world, alice, bob, goneAt } = await aliceAndBob({ departureTimeoutMs: 40_000 })
    world.report(alice, [bob])
    world.network.crash('bob')
    await world.advance(45_000)
    const silence = goneAt() - world.heardAt(alice)
    expect(silence).toBeGreaterThanOrEqual(40_000)
    expect(silence).toBeLessThan(40_000 + 50)
  })

  it('shorter than departureTimeoutMs, or not a duration, is refused with INVALID_OPTION', () => {
    const world = signallingWorld()
    for (const timing of [
      { connectedDepartureTimeoutMs: 2000 },
      { departureTimeoutMs: 6000, connectedDepartureTimeoutMs: 5000 },
      { connectedDepartureTimeoutMs: Number.NaN },
      { connectedDepartureTimeoutMs: '10000' as unknown as number },
    ]) {
      let thrown: unknown
      try {
        world.person('x', 'participant', timing)
      } catch (error) {
        thrown = error
      }
      expect(thrown).toBeInstanceOf(MeetingError)
      expect((thrown as MeetingError).code).toBe('INVALID_OPTION')
      expect((thrown as MeetingError).details).toMatchObject({ option: 'connectedDepartureTimeoutMs' })
    }
  })
})
