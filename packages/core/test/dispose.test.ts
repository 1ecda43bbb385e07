import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isMeetingError } from '../src/index.js'
import { createWorld } from './support/world.js'

// dispose() stops the meeting's actor; what the app calls afterwards must still settle, typed.

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
    // Nothing of it reached the others: to them Alice crashed, once.
    await world.advance(20_000)
    expect(bob.told.filter((line) => line.startsWith('participant-left:alice'))).toEqual([
      'participant-left:alice:disconnected',
    ])
  })

  it('during its join: the join rejects JOIN_CANCELLED and leave() resolves', async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host')
    const joining = alice.meeting.join()
    alice.meeting.dispose()
    expect(await outcome(world, joining)).toBe('JOIN_CANCELLED')
    expect(await outcome(world, alice.meeting.leave())).toBe('resolved')
    expect(await outcome(world, alice.meeting.end())).toBe('NOT_JOINED')
  })
})
