import { describe, expect, it } from 'vitest'
import { runSchedule } from './support/property.js'
import type { Schedule } from './support/schedule.js'

// Shrunk schedules the property found, kept as fixed cases so each bug stays fixed even when the random
// runs go elsewhere.
const seven = (hb = 50) => ({
  roles: [
    'host',
    'participant',
    'participant',
    'participant',
    'participant',
    'participant',
    'participant',
  ] as const,
  heartbeats: Array(7).fill(hb) as number[],
})

const cases: Array<[string, Schedule]> = [
  [
    'a join queued behind a leave does not start a session after the tab closed',
    {
      cast: { roles: ['host', 'participant'], heartbeats: [50, 50] },
      seed: 0,
      joinGaps: [0, 0],
      ops: [
        { op: 'leave', p: 7 },
        { op: 'join', p: 1 },
        { op: 'terminate', p: 1 },
      ],
    },
  ],
  [
    'a second tab that closes at once does not lock the first one out of the others rosters',
    {
      cast: { ...seven(), roles: [...seven().roles] },
      seed: 0,
      joinGaps: [0, 40, 0, 0, 5, 5, 0],
      ops: [
        { op: 'twin', p: 0 },
        { op: 'leave', p: 0 },
      ],
    },
  ],
  [
    'a REMOVE the target missed is handed to it again, so it does not stay on in a room that dropped it',
    {
      cast: { ...seven(), roles: [...seven().roles] },
      seed: 0,
      joinGaps: [0, 0, 0, 0, 0, 40, 0],
      ops: [
        { op: 'remove', p: 0, target: 1 },
        { op: 'disconnect', p: 0 },
      ],
    },
  ],
]

describe('schedules that once broke an invariant', () => {
  it.each(cases)('%s', async (_name, schedule) => {
    expect(await runSchedule(schedule)).toEqual([])
  })
})
