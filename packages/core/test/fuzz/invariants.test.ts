import { describe, expect, it } from 'vitest'
import { checkLogs } from './support/invariants.js'
import type { Stage, Tab, Told } from './support/stage.js'

// The checkers themselves, on hand-made logs: each broken invariant must be named.
function judge(told: Told[]): string[] {
  const tab = { index: 0, id: 'p0', role: 'host', dead: false, told } as unknown as Tab
  const out: string[] = []
  checkLogs({ tabs: [tab] } as unknown as Stage, out)
  return out
}

const s = 'p0#1'
const joined: Told = { session: s, type: 'meeting-joined', roster: ['p1#2'] }
const left: Told = { session: s, type: 'meeting-left', reason: 'left' }
const pj = (remote: string): Told => ({ session: s, type: 'participant-joined', remote })
const pl = (remote: string): Told => ({ session: s, type: 'participant-left', remote, reason: 'left' })

describe('the invariant checkers', () => {
  it('accept a well-formed log, including a remote session that comes back after a partition', () => {
    expect(judge([joined, pl('p1#2'), pj('p1#2'), pj('p3#4'), pl('p3#4'), left])).toEqual([])
  })

  it.each([
    ['meeting-left twice', [joined, left, left], /after meeting-left/],
    ['an event after meeting-left', [joined, left, pj('p3#4')], /participant-joined after meeting-left/],
    ['meeting-left without joining', [left], /meeting-left without meeting-joined/],
    ['meeting-joined twice', [joined, joined], /meeting-joined twice/],
    ['participant-joined twice in a row', [joined, pj('p3#4'), pj('p3#4')], /twice in a row/],
    ['participant-joined for someone found at join', [joined, pj('p1#2')], /twice in a row/],
    ['participant-left without a join', [joined, pl('p3#4')], /without a join/],
    ['participant-left twice', [joined, pl('p1#2'), pl('p1#2')], /without a join/],
    ['participant-joined before meeting-joined', [pj('p3#4')], /before meeting-joined/],
    [
      'an unexpected error',
      [joined, { session: s, type: 'error', code: 'INVALID_MESSAGE' }],
      /unexpected error/,
    ],
  ] as const)('flag %s', (_name, told, message) => {
    const out = judge([...told])
    expect(out.length).toBeGreaterThan(0)
    expect(out.join('\n')).toMatch(message)
  })
})
