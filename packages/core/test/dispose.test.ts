import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isMeetingError } from '../src/index.js'
import { createWorld } from './support/world.js'

// dispose() leaves a meeting it is in (as Daily's destroy() and LiveKit's disconnect() do) and stops the
// meeting's actor; what the app reads afterwards says it is out, and what it calls still settles, typed.

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

type World = ReturnType<typeof createWorld>

/** How `promise` settled within 10 s of fake time: `resolved`, a MeetingError code, or `pending`. */
async function outcome(world: World, promise: Promise<unknown>): Promise<string> {
  let result = 'pending'
  promise.then(
    () => {
      result = 'resolved'
    },
    (error: unknown) => {
      result = isMeetingError(error) ? error.code : `untyped: ${String(error)}`
    },
  )
  await world.advance(10_000)
  return result
}

describe('a disposed meeting', () => {
  it('once joined: the app is told meeting-left(left) once, the snapshot reads it out, the others are told left once', async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host')
    const bob = world.person('bob')
    await world.joinAll(alice, bob)
    const changes: string[] = []
    alice.meeting.subscribe(() => changes.push(alice.meeting.getSnapshot().status))
    alice.meeting.dispose()
    alice.meeting.dispose() // a second one does nothing
    // At once, in the call: no UI reading the snapshot shows a live meeting any more.
    expect(alice.told.filter((line) => line.startsWith('meeting-left'))).toEqual(['meeting-left:left'])
    const snapshot = alice.meeting.getSnapshot()
    expect(snapshot).toMatchObject({
      status: 'ended',
      meetingState: 'DISCONNECTED',
      canEnd: false,
      endReason: 'left',
      localStream: null,
    })
    expect(snapshot.participants.size).toBe(0)
    expect(alice.meeting.meetingState).toBe('DISCONNECTED')
    expect(changes).toEqual(['ended'])
    await world.advance(20_000)
    expect(bob.told.filter((line) => line.startsWith('participant-left:alice'))).toEqual([
      'participant-left:alice:left',
    ])
    expect(bob.meeting.participants.size).toBe(0)
    // Nothing more reaches the disposed meeting's app, and its snapshot stays the same object.
    expect(alice.told.filter((line) => line.startsWith('meeting-left'))).toHaveLength(1)
    expect(alice.meeting.getSnapshot()).toBe(snapshot)
  })

  it('once joined: a goodbye lost at first is resent behind the scenes, then the actor stops', async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host')
    const bob = world.person('bob')
    await world.joinAll(alice, bob)
    world.network.partition(['alice'], ['bob'])
    alice.meeting.dispose()
    expect(alice.meeting.getSnapshot().status).toBe('ended')
    await world.advance(300)
    world.network.heal()
    await world.advance(20_000)
    expect(bob.told.filter((line) => line.startsWith('participant-left:alice'))).toEqual([
      'participant-left:alice:left',
    ])
    expect(alice.meeting.actor.getSnapshot().status).toBe('stopped')
  })

  it('once joined, with its goodbye lost for longer than leaveTimeoutMs: the others are told of a crash, once', async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host')
    const bob = world.person('bob')
    await world.joinAll(alice, bob)
    world.network.partition(['alice'], ['bob'])
    alice.meeting.dispose()
    await world.advance(10_500) // leaveTimeoutMs is 10000 by default: by then the actor has stopped
    expect(alice.meeting.actor.getSnapshot().status).toBe('stopped')
    world.network.heal()
    await world.advance(20_000)
    expect(bob.told.filter((line) => line.startsWith('participant-left:alice'))).toEqual([
      'participant-left:alice:disconnected',
    ])
  })

  it('once joined: leave() resolves, every other command rejects NOT_JOINED, none hangs', async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host')
    const bob = world.person('bob')
    await world.joinAll(alice, bob)
    alice.meeting.dispose()
    const { meeting } = alice
    expect(await outcome(world, meeting.leave())).toBe('resolved')
    expect(await outcome(world, meeting.end())).toBe('NOT_JOINED')
    expect(await outcome(world, meeting.removeParticipant('bob'))).toBe('NOT_JOINED')
    for (const media of [
      meeting.toggleMic,
      meeting.muteMic,
      meeting.unmuteMic,
      meeting.toggleWebcam,
      meeting.disableWebcam,
      meeting.enableWebcam,
    ]) {
      expect(await outcome(world, media())).toBe('NOT_JOINED')
    }
    expect(await outcome(world, meeting.join())).toBe('JOIN_CANCELLED')
    await world.advance(20_000)
    expect(bob.told.filter((line) => line.startsWith('participant-left:alice'))).toEqual([
      'participant-left:alice:left',
    ])
  })

  it('during its join: the join rejects JOIN_CANCELLED and leave() resolves', async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host')
    const joining = alice.meeting.join()
    alice.meeting.dispose()
    const cancelled = joining.catch((error: unknown) => error)
    expect(await outcome(world, joining)).toBe('JOIN_CANCELLED')
    expect(String(await cancelled)).toContain('disposed')
    expect(alice.told).toEqual([])
    expect(alice.meeting.getSnapshot()).toMatchObject({ canEnd: false, meetingState: 'DISCONNECTED' })
    expect(await outcome(world, alice.meeting.leave())).toBe('resolved')
    expect(await outcome(world, alice.meeting.end())).toBe('NOT_JOINED')
  })
})
