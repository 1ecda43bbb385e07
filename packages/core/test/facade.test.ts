import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createWorld } from './support/world.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('subscribe/getSnapshot (the contract useSyncExternalStore relies on)', () => {
  it('tells subscribers about every public change: joining, joined, each roster change, the end', async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host')
    const bob = world.person('bob')
    const seen: string[] = []
    alice.meeting.subscribe(() => {
      const s = alice.meeting.getSnapshot()
      seen.push(`${s.status}:${[...s.participants.keys()].join('+')}`)
    })
    await world.joinAll(alice, bob)
    await world.advance(5000) // heartbeats change the machine's context, not the public snapshot
    await Promise.all([bob.meeting.leave(), world.advance(2000)])
    await Promise.all([alice.meeting.leave(), world.advance(2000)])
    // The goodbye is delivered behind the scenes: for the app the session is over at leave().
    expect(seen).toEqual(['joining:', 'joined:', 'joined:bob', 'joined:', 'ended:'])
  })

  it('returns the same snapshot object until something public changed', async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host')
    const bob = world.person('bob')
    await world.joinAll(alice, bob)
    const before = alice.meeting.getSnapshot()
    await world.advance(10_000)
    expect(alice.meeting.getSnapshot()).toBe(before)
    expect(alice.meeting.participants).toBe(before.participants)
  })
})

describe('lazy start', () => {
  it('an unjoined meeting has no running actor: an inspector sees nothing until join()', async () => {
    const world = createWorld()
    const inspected: string[] = []
    const alice = world.person('alice', 'host', {
      inspect: (event: { type: string }) => inspected.push(event.type),
    })
    expect(alice.meeting.getSnapshot().status).toBe('idle')
    await alice.meeting.leave()
    expect(inspected).toEqual([])
    await Promise.all([alice.meeting.join(), world.advance(50)])
    expect(inspected).toContain('@xstate.actor')
  })
})

describe('the meeting object', () => {
  it('has its fields as enumerable own getters, then its methods as own properties, usable taken off it', async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host')
    const bob = world.person('bob')
    const { meeting } = alice
    expect(Object.keys(meeting)).toEqual([
      'meetingId',
      'localParticipant',
      'participants',
      'meetingState',
      'actor',
      'join',
      'leave',
      'end',
      'removeParticipant',
      'toggleMic',
      'muteMic',
      'unmuteMic',
      'toggleWebcam',
      'disableWebcam',
      'enableWebcam',
      'on',
      'getSnapshot',
      'subscribe',
      'dispose',
    ])
    expect(typeof Object.getOwnPropertyDescriptor(meeting, 'participants')?.get).toBe('function')
    const { join, muteMic, getSnapshot } = meeting
    await Promise.all([join(), bob.meeting.join(), world.advance(2000)])
    const { participants, meetingState, meetingId, localParticipant } = meeting
    expect(participants).toBe(getSnapshot().participants)
    expect([...participants.keys()]).toEqual(['bob'])
    expect(meetingState).toBe('CONNECTED')
    expect(meetingId).toBe(getSnapshot().meetingId)
    expect(localParticipant.id).toBe('alice')
    await muteMic()
    expect(meeting.localParticipant.micOn).toBe(false)
    // Each meeting reads its own snapshot through the shared getters.
    expect(bob.meeting.localParticipant.id).toBe('bob')
    expect(bob.meeting.participants.has('alice')).toBe(true)
  })
})
