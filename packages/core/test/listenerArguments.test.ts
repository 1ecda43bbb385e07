import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isMeetingError, type Meeting } from '../src/index.js'
import { createWorld } from './support/world.js'

// What plain JavaScript can pass to on() and subscribe(): refused at the call, typed, and the meeting
// goes on. A non-function listener used to be accepted and threw inside the next step, uncaught.

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

function refusal(call: () => unknown): { code: string; option?: string } | 'accepted' {
  try {
    call()
    return 'accepted'
  } catch (error) {
    if (!isMeetingError(error)) return { code: `untyped: ${String(error)}` }
    return { code: error.code, option: error.details.option }
  }
}

describe('on() and subscribe() with bad arguments', () => {
  it('refuse an unknown event name or a listener that is not a function with INVALID_OPTION', () => {
    const world = createWorld()
    const { meeting } = world.person('alice', 'host')
    const on = meeting.on as (event: unknown, listener: unknown) => () => void
    const subscribe = meeting.subscribe as (listener: unknown) => () => void
    expect(refusal(() => on('meeting-ended', () => {}))).toEqual({ code: 'INVALID_OPTION', option: 'event' })
    expect(refusal(() => on('toString', () => {}))).toEqual({ code: 'INVALID_OPTION', option: 'event' })
    expect(refusal(() => on(undefined, () => {}))).toEqual({ code: 'INVALID_OPTION', option: 'event' })
    expect(refusal(() => on('meeting-left', 5))).toEqual({ code: 'INVALID_OPTION', option: 'listener' })
    expect(refusal(() => on('error', null))).toEqual({ code: 'INVALID_OPTION', option: 'listener' })
    expect(refusal(() => subscribe({ next() {} }))).toEqual({ code: 'INVALID_OPTION', option: 'listener' })
  })

  it('take every event of the map, and the meeting runs on after a refusal', async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host')
    const bob = world.person('bob')
    const names: Parameters<Meeting['on']>[0][] = [
      'meeting-joined',
      'meeting-left',
      'participant-joined',
      'participant-left',
      'participant-media-changed',
      'meeting-state-changed',
      'error',
    ]
    for (const name of names) expect(refusal(() => alice.meeting.on(name, () => {}))).toBe('accepted')
    expect(
      refusal(() => (alice.meeting.on as (e: string, l: unknown) => void)('meeting-left', 'x')),
    ).not.toBe('accepted')
    await world.joinAll(alice, bob)
    await Promise.all([alice.meeting.end(), world.advance(2000)])
    expect(alice.told).toEqual(['meeting-joined', 'participant-joined:bob', 'meeting-left:ended'])
  })
})
