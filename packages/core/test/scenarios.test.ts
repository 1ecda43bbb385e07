import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MeetingError, PROTOCOL_VERSION } from '../src/index.js'
import { rejection } from './support/rejection.js'
import { createWorld, ids } from './support/world.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

async function threeInTheRoom() {
  const world = createWorld()
  const alice = world.person('alice', 'host')
  const bob = world.person('bob')
  const carol = world.person('carol')
  await world.joinAll(alice, bob, carol)
  return { world, alice, bob, carol }
}

describe('join', () => {
  it('announces newcomers to those inside; the newcomer finds them in `participants`, unannounced', async () => {
    const { alice, bob, carol } = await threeInTheRoom()
    expect(alice.told).toEqual(['meeting-joined', 'participant-joined:bob', 'participant-joined:carol'])
    expect(bob.told).toEqual(['meeting-joined', 'participant-joined:carol'])
    expect(carol.told).toEqual(['meeting-joined'])
    expect(ids(carol.meeting)).toEqual(['alice', 'bob'])
    expect(ids(alice.meeting)).toEqual(['bob', 'carol'])
    expect(carol.meeting.meetingState).toBe('CONNECTED')
  })

  it('join() twice joins once', async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host')
    const bob = world.person('bob')
    await world.joinAll(alice)
    const first = bob.meeting.join()
    const second = bob.meeting.join()
    expect(second).toBe(first)
    await world.advance(50)
    await first
    expect(alice.told.filter((e) => e === 'participant-joined:bob')).toHaveLength(1)
  })
})

describe('leave', () => {
  it('tells the leaver meeting-left and every other participant participant-left, once each', async () => {
    const { world, alice, bob, carol } = await threeInTheRoom()
    await Promise.all([bob.meeting.leave(), world.advance(2000)])
    await world.advance(10_000)
    expect(bob.told.at(-1)).toBe('meeting-left:left')
    expect(bob.told.filter((e) => e.startsWith('meeting-left'))).toHaveLength(1)
    expect(alice.told.filter((e) => e.startsWith('participant-left'))).toEqual(['participant-left:bob:left'])
    expect(carol.told.filter((e) => e.startsWith('participant-left'))).toEqual(['participant-left:bob:left'])
    expect(ids(alice.meeting)).toEqual(['carol'])
    expect(bob.meeting.participants.size).toBe(0)
  })

  it('before join is a no-op that resolves at once', async () => {
    const world = createWorld()
    const alice = world.person('alice')
    await alice.meeting.leave()
    expect(alice.told).toEqual([])
    expect(alice.meeting.meetingState).toBe('DISCONNECTED')
    expect(world.network.sessions()).toHaveLength(0)
  })

  it('twice is one leave', async () => {
    const { world, alice, bob } = await threeInTheRoom()
    const first = bob.meeting.leave()
    const second = bob.meeting.leave()
    await world.advance(2000)
    await Promise.all([first, second])
    expect(bob.told.filter((e) => e.startsWith('meeting-left'))).toEqual(['meeting-left:left'])
    expect(alice.told.filter((e) => e.startsWith('participant-left'))).toEqual(['participant-left:bob:left'])
  })

  it('during joining cancels the join: join() rejects JOIN_CANCELLED, no meeting-left, others see a clean leave', async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host')
    const bob = world.person('bob')
    await world.joinAll(alice)
    const joined = bob.meeting.join()
    const caught = rejection(joined)
    await Promise.all([bob.meeting.leave(), world.advance(2000)])
    expect((await caught).code).toBe('JOIN_CANCELLED')
    expect(bob.told).toEqual([])
    await world.advance(10_000)
    const aboutBob = alice.told.filter((e) => e.includes('bob'))
    expect(
      aboutBob.length === 0 || aboutBob.join() === 'participant-joined:bob,participant-left:bob:left',
    ).toBe(true)
  })

  it('closing the tab (pagehide) reads as left, not disconnected', async () => {
    const { world, alice, carol } = await threeInTheRoom()
    world.network.terminate('bob')
    await world.advance(10_000)
    expect(alice.told).toContain('participant-left:bob:left')
    expect(carol.told).toContain('participant-left:bob:left')
    expect(alice.told.filter((e) => e.includes('bob:disconnected'))).toEqual([])
  })

  it('join() after leave() starts a fresh session that others see as a new join', async () => {
    const { world, alice, bob } = await threeInTheRoom()
    const firstSession = bob.meeting.localParticipant.sessionId
    await Promise.all([bob.meeting.leave(), world.advance(2000)])
    await Promise.all([bob.meeting.join(), world.advance(100)])
    expect(bob.meeting.localParticipant.sessionId).not.toBe(firstSession)
    expect(ids(bob.meeting)).toEqual(['alice', 'carol'])
    expect(alice.told.filter((e) => e.includes(':bob'))).toEqual([
      'participant-joined:bob',
      'participant-left:bob:left',
      'participant-joined:bob',
    ])
  })
})

describe('end', () => {
  it('by the host: everybody, host included, gets meeting-left(ended) and no participant-left storm', async () => {
    const { world, alice, bob, carol } = await threeInTheRoom()
    const before = { bob: bob.told.length, carol: carol.told.length }
    await Promise.all([alice.meeting.end(), world.advance(2000)])
    await world.advance(10_000)
    for (const p of [alice, bob, carol]) {
      expect(p.told.at(-1)).toBe('meeting-left:ended')
      expect(p.told.filter((e) => e.startsWith('meeting-left'))).toHaveLength(1)
    }
    expect(bob.told.slice(before.bob)).toEqual(['meeting-left:ended'])
    expect(carol.told.slice(before.carol)).toEqual(['meeting-left:ended'])
    expect(world.network.sessions().filter((s) => s.state === 'open')).toHaveLength(0)
  })

  it('by a participant who is neither host nor last: rejects END_NOT_ALLOWED and changes nothing', async () => {
    const { world, alice, bob, carol } = await threeInTheRoom()
    const told = [alice.told.length, bob.told.length, carol.told.length]
    const error = await rejection(carol.meeting.end())
    expect(error).toBeInstanceOf(MeetingError)
    expect(error.code).toBe('END_NOT_ALLOWED')
    await world.advance(10_000)
    expect([alice.told.length, bob.told.length, carol.told.length]).toEqual(told)
    expect(carol.meeting.meetingState).toBe('CONNECTED')
    expect(carol.meeting.getSnapshot().canEnd).toBe(false)
  })

  it('by the last participant, who is no host: allowed', async () => {
    const { world, alice, bob, carol } = await threeInTheRoom()
    await Promise.all([alice.meeting.leave(), bob.meeting.leave(), world.advance(2000)])
    expect(carol.meeting.getSnapshot().canEnd).toBe(true)
    await Promise.all([carol.meeting.end(), world.advance(2000)])
    expect(carol.told.at(-1)).toBe('meeting-left:ended')
  })

  it('before join rejects NOT_JOINED', async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host')
    expect((await rejection(alice.meeting.end())).code).toBe('NOT_JOINED')
  })
})

describe('remove', () => {
  it('by a host: the removed gets meeting-left(removed), the others participant-left(removed)', async () => {
    const { world, alice, bob, carol } = await threeInTheRoom()
    await alice.meeting.removeParticipant('carol')
    await world.advance(10_000)
    expect(carol.told.at(-1)).toBe('meeting-left:removed')
    expect(alice.told.filter((e) => e.includes('carol') && e.startsWith('participant-left'))).toEqual([
      'participant-left:carol:removed',
    ])
    expect(bob.told.filter((e) => e.includes('carol') && e.startsWith('participant-left'))).toEqual([
      'participant-left:carol:removed',
    ])
  })

  it('by a non-host rejects REMOVE_NOT_ALLOWED; an unknown id rejects PARTICIPANT_NOT_FOUND', async () => {
    const { alice, bob } = await threeInTheRoom()
    expect((await rejection(bob.meeting.removeParticipant('carol'))).code).toBe('REMOVE_NOT_ALLOWED')
    expect((await rejection(alice.meeting.removeParticipant('nobody'))).code).toBe('PARTICIPANT_NOT_FOUND')
  })
})

describe('departures without a goodbye', () => {
  it('a crash is reported as disconnected once, within the departure timeout (3 s)', async () => {
    const { world, alice, carol } = await threeInTheRoom()
    world.network.crash('bob')
    await world.advance(1500)
    expect(alice.told).not.toContain('participant-left:bob:disconnected')
    await world.advance(1500)
    expect(alice.told).toContain('participant-left:bob:disconnected')
    expect(carol.told).toContain('participant-left:bob:disconnected')
    await world.advance(60_000)
    expect(alice.told.filter((e) => e.includes(':bob:'))).toHaveLength(1)
  })

  it('a rejoin right after a crash gets in at once', async () => {
    const { world, alice, bob } = await threeInTheRoom()
    world.network.crash('bob')
    bob.meeting.dispose()
    const again = world.person('bob')
    await Promise.all([again.meeting.join(), world.advance(100)])
    expect(again.meeting.meetingState).toBe('CONNECTED')
    expect(ids(again.meeting)).toEqual(['alice', 'carol'])
    await world.advance(10_000)
    expect(ids(alice.meeting)).toEqual(['bob', 'carol'])
    expect(alice.told.filter((e) => e.includes(':bob'))).toEqual([
      'participant-joined:bob',
      'participant-left:bob:disconnected',
      'participant-joined:bob',
    ])
  })

  it('a duplicate id: the newest session wins, the older gets meeting-left(duplicate)', async () => {
    const { world, alice, bob } = await threeInTheRoom()
    const twin = world.person('bob')
    await Promise.all([twin.meeting.join(), world.advance(100)])
    await world.advance(5000)
    expect(bob.told.at(-1)).toBe('meeting-left:duplicate')
    expect(twin.meeting.meetingState).toBe('CONNECTED')
    expect(alice.meeting.participants.get('bob')?.sessionId).toBe(twin.meeting.localParticipant.sessionId)
    expect(alice.told.filter((e) => e.startsWith('participant-left:bob'))).toHaveLength(1)
  })

  it('mixed heartbeat settings never produce false departures', async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host', { heartbeatIntervalMs: 500, departureTimeoutMs: 1500 })
    const slow = world.person('slow', 'participant', { heartbeatIntervalMs: 2000, departureTimeoutMs: 6000 })
    await world.joinAll(alice, slow)
    await world.advance(60_000)
    expect(alice.told).toEqual(['meeting-joined', 'participant-joined:slow'])
  })

  it('a partition is seen as departures on both sides, and healing brings rosters back together', async () => {
    const { world, alice, bob, carol } = await threeInTheRoom()
    world.network.partition(['alice'], ['bob'])
    await world.advance(5000)
    expect(alice.told).toContain('participant-left:bob:disconnected')
    expect(bob.told).toContain('participant-left:alice:disconnected')
    world.network.heal()
    await world.advance(5000)
    expect(ids(alice.meeting)).toEqual(['bob', 'carol'])
    expect(ids(bob.meeting)).toEqual(['alice', 'carol'])
    expect(ids(carol.meeting)).toEqual(['alice', 'bob'])
  })

  it('losing my own network: RECONNECTING, then back; past reconnectTimeoutMs, meeting-left(connection-lost)', async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host', { reconnectTimeoutMs: 5000 })
    const bob = world.person('bob')
    await world.joinAll(alice, bob)
    const states: string[] = []
    alice.meeting.on('meeting-state-changed', ({ state }) => states.push(state))
    world.network.disconnect('alice')
    await world.advance(1000)
    world.network.reconnect('alice')
    await world.advance(1000)
    expect(states).toEqual(['RECONNECTING', 'CONNECTED'])
    world.network.disconnect('alice')
    await world.advance(6000)
    expect(alice.told.at(-1)).toBe('meeting-left:connection-lost')
    expect(states.at(-1)).toBe('DISCONNECTED')
  })
})

describe('bad input', () => {
  it('a malformed message surfaces as an error event and changes nothing', async () => {
    const { world, alice } = await threeInTheRoom()
    const before = alice.meeting.getSnapshot()
    world.network.inject(alice.meeting.localParticipant.sessionId, {
      v: PROTOCOL_VERSION,
      type: 'hello',
      seq: 'x',
    })
    world.network.inject(alice.meeting.localParticipant.sessionId, 'garbage')
    await world.advance(0)
    expect(alice.told.slice(-2)).toEqual(['error:INVALID_MESSAGE', 'error:INVALID_MESSAGE'])
    expect(alice.meeting.getSnapshot()).toBe(before)
  })

  it('an END or REMOVE from a non-host is refused, reported, and changes nothing', async () => {
    const { world, alice, bob, carol } = await threeInTheRoom()
    const bobSession = bob.meeting.localParticipant.sessionId
    const forged = { v: PROTOCOL_VERSION, session: bobSession, seq: 9999, origin: bobSession }
    world.network.inject(carol.meeting.localParticipant.sessionId, { ...forged, type: 'end' }, bobSession)
    world.network.inject(
      carol.meeting.localParticipant.sessionId,
      { ...forged, type: 'remove', seq: 10_000, target: 'alice' },
      bobSession,
    )
    await world.advance(5000)
    expect(carol.told.filter((e) => e.startsWith('error'))).toEqual([
      'error:UNAUTHORIZED_COMMAND',
      'error:UNAUTHORIZED_COMMAND',
    ])
    expect(carol.meeting.meetingState).toBe('CONNECTED')
    expect(ids(carol.meeting)).toEqual(['alice', 'bob'])
    expect(alice.told.at(-1)).not.toMatch(/meeting-left/)
  })

  it('createMeeting rejects bad options with INVALID_OPTION', () => {
    const world = createWorld()
    const transport = world.network.transport()
    const bad = [
      { meetingId: '', participant: { id: 'a' }, transport },
      { meetingId: 'm', participant: { id: '' }, transport },
      { meetingId: 'm', participant: { id: 'a', role: 'admin' }, transport },
      { meetingId: 'm', participant: { id: 'a' }, transport: {} },
      { meetingId: 'm', participant: { id: 'a' }, transport, departureTimeoutMs: -1 },
      { meetingId: 'm', participant: { id: 'a' }, transport, heartbeatIntervalMs: Number.NaN },
    ]
    for (const options of bad) {
      // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input
      expect(() => world.person('x', 'participant', options as any)).toThrow(MeetingError)
    }
  })
})

describe('unreliable network', () => {
  it('with 30% loss and duplicates, a leave is still seen exactly once as left', async () => {
    const world = createWorld({ seed: 3 })
    const alice = world.person('alice', 'host')
    const bob = world.person('bob')
    const carol = world.person('carol')
    await world.joinAll(alice, bob, carol)
    await world.advance(5000)
    world.network.setFaults({ drop: 0.3, duplicate: 0.2 })
    await Promise.all([bob.meeting.leave(), world.advance(2000)])
    await world.advance(10_000)
    for (const p of [alice, carol]) {
      expect(p.told.filter((e) => e.startsWith('participant-left:bob'))).toHaveLength(1)
    }
    expect(bob.told.filter((e) => e.startsWith('meeting-left'))).toEqual(['meeting-left:left'])
  })
})

describe('remove, then a quick rejoin', () => {
  it('a REMOVE still in flight takes out only the session it named, not the same person rejoining', async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host')
    const bob = world.person('bob')
    const carol = world.person('carol')
    await world.joinAll(alice, bob, carol)
    await world.advance(2000)
    world.network.setFaults({ delayMs: 400 })
    await alice.meeting.removeParticipant('bob')
    // Bob's old session is cut off before the REMOVE reaches it; his new one joins while carol's relay
    // of it is still in flight.
    world.network.crash('bob')
    bob.meeting.dispose()
    const again = world.person('bob')
    const joined = again.meeting.join()
    await world.advance(3000)
    await joined
    await world.advance(5000)
    expect(again.meeting.meetingState).toBe('CONNECTED')
    expect(again.told.filter((e) => e.startsWith('meeting-left'))).toEqual([])
    expect(ids(alice.meeting)).toEqual(['bob', 'carol'])
    expect(ids(carol.meeting)).toEqual(['alice', 'bob'])
  })
})
