import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isMeetingError } from '../src/index.js'
import { createWorld, ids, type Person } from './support/world.js'

// `createSessionId` and `now` run at createMeeting (the first session) and again at each later join.
// One that works at first and fails at a rejoin must reject that join(), typed, and break nothing.

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** Alice's hooks fail while `failing` says so (a throw, or a value the wire refuses). */
function flakyHooks(failing: { id?: 'throw' | 'empty'; clock?: boolean }) {
  let n = 0
  return {
    createSessionId: () => {
      if (failing.id === 'throw') throw new Error('id service unreachable')
      if (failing.id === 'empty') return ''
      n += 1
      return `alice#${n}`
    },
    now: () => {
      if (failing.clock) throw new TypeError('clock broke')
      return Date.now() + n
    },
  }
}

async function rejoinFails(alice: Person, bobSees: () => string[], expected: object) {
  const joined = alice.meeting.join()
  await expect(joined).rejects.toSatisfy(isMeetingError)
  await expect(joined).rejects.toMatchObject(expected)
  // Nothing changed: still out, not in an error state, and bob sees no session that never began.
  expect(alice.meeting.meetingState).toBe('DISCONNECTED')
  expect(alice.meeting.getSnapshot().status).toBe('ended')
  expect(alice.meeting.actor.getSnapshot().status).toBe('active')
  expect(bobSees()).toEqual([])
}

describe('a session hook that fails only at a rejoin', () => {
  for (const [label, failing, expected] of [
    [
      'createSessionId throws',
      { id: 'throw' },
      {
        code: 'INVALID_OPTION',
        details: { option: 'createSessionId' },
        message: expect.stringContaining('id service unreachable'),
        cause: expect.objectContaining({ message: 'id service unreachable' }),
      },
    ],
    [
      'createSessionId returns ""',
      { id: 'empty' },
      { code: 'INVALID_OPTION', details: { option: 'createSessionId' } },
    ],
    ['now throws', { clock: true }, { code: 'INVALID_OPTION', details: { option: 'now' } }],
  ] as const) {
    it(`${label}: join() rejects with INVALID_OPTION, the meeting stays usable and joins once it works`, async () => {
      const world = createWorld()
      const state: { id?: 'throw' | 'empty'; clock?: boolean } = {}
      const alice = world.person('alice', 'host', flakyHooks(state))
      const bob = world.person('bob')
      await world.joinAll(alice, bob)
      await Promise.all([alice.meeting.leave(), world.advance(2000)])
      const bobSees = () => ids(bob.meeting)
      expect(bobSees()).toEqual([])

      Object.assign(state, failing)
      await rejoinFails(alice, bobSees, expected)
      // Again: still the same answer, still nothing broken.
      await rejoinFails(alice, bobSees, expected)

      // The hook works again: the next join() is a normal rejoin with a new session.
      delete state.id
      delete state.clock
      const rejoined = alice.meeting.join()
      await world.advance(100)
      await rejoined
      // A new session id (ids made before a later hook failed are not reused).
      expect(alice.meeting.localParticipant.sessionId).toMatch(/^alice#[2-9]$/)
      await world.advance(100)
      expect(bobSees()).toEqual(['alice'])
      expect(ids(alice.meeting)).toEqual(['bob'])
      // No error was reported through onError: the rejected join() is the whole answer.
      expect(alice.told.filter((t) => t.startsWith('error'))).toEqual([])
      alice.meeting.dispose()
      bob.meeting.dispose()
    })
  }

  it('a join() while the last session is still leaving rejects the same way, and that session still ends', async () => {
    const world = createWorld()
    const state: { id?: 'throw' | 'empty' } = {}
    const alice = world.person('alice', 'host', flakyHooks(state))
    const bob = world.person('bob')
    await world.joinAll(alice, bob)
    // Bob never confirms the goodbye, so alice's last session is still delivering it.
    world.network.partition(['alice'], ['bob'])
    const left = alice.meeting.leave()
    expect(alice.meeting.actor.getSnapshot().matches('leaving')).toBe(true)
    state.id = 'throw'
    await expect(alice.meeting.join()).rejects.toMatchObject({ code: 'INVALID_OPTION' })
    await left
    // It is still out, and ends once leaveTimeoutMs (10 s by default) has passed.
    await world.advance(3000)
    expect(alice.meeting.actor.getSnapshot().matches('leaving')).toBe(true)
    await world.advance(8000)
    expect(alice.meeting.actor.getSnapshot().value).toBe('ended')
    expect(alice.meeting.actor.getSnapshot().status).toBe('active')
    alice.meeting.dispose()
    bob.meeting.dispose()
  })
})
