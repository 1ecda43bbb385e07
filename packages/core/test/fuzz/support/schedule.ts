import fc from 'fast-check'
import type { ParticipantRole } from '../../../src/index.js'

/** One step of a schedule. Participant numbers are taken modulo the cast size, so shrinking stays valid. */
export type Op =
  /** Joins (a fresh session); a crashed participant restarts with a new meeting first. */
  | { op: 'join'; p: number }
  | { op: 'leave'; p: number }
  /** `end()`; rejected unless host or alone, which is part of what is checked. */
  | { op: 'end'; p: number }
  | { op: 'remove'; p: number; target: number }
  /** The process dies: network sessions crash, then the meeting is disposed (its goodbye is lost with them). */
  | { op: 'crash'; p: number }
  /** The tab closes: a `terminating` goodbye, then a crash. */
  | { op: 'terminate'; p: number }
  /** A second tab with the same participant id joins; the newest session must win. */
  | { op: 'twin'; p: number }
  | { op: 'disconnect'; p: number }
  | { op: 'reconnect'; p: number }
  /** Group number per participant (by index); participants in different groups cannot talk. */
  | { op: 'partition'; groups: number[] }
  | { op: 'heal' }
  | { op: 'faults'; drop: number; duplicate: number; delayMs: [number, number]; reorder: boolean }
  /** A non-host session forges an END, or a REMOVE of `target`, to one participant. */
  | { op: 'forge'; from: number; to: number; kind: 'end' | 'remove'; target: number }
  | { op: 'wait'; ms: number }

export interface Cast {
  /** 2-8 participants; index 0 is always a host. */
  roles: ParticipantRole[]
  /** Each participant's heartbeat interval: mixed settings must never cause false departures. */
  heartbeats: number[]
}

export interface Schedule {
  cast: Cast
  /** Seeds the network's drop/duplicate/delay draws. */
  seed: number
  /** When set, peers of a crashed session get `link-down` this long after, as WebRTC eventually reports. */
  crashLinkDownAfterMs?: number
  /** Gaps between the initial joins (ms); 0 means joining at the same moment. */
  joinGaps: number[]
  ops: Op[]
}

const who = fc.nat({ max: 7 })

const opArbitrary: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('join' as const), p: who }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('leave' as const), p: who }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('end' as const), p: who }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('remove' as const), p: who, target: who }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('crash' as const), p: who }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('terminate' as const), p: who }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('twin' as const), p: who }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('disconnect' as const), p: who }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('reconnect' as const), p: who }), weight: 2 },
  {
    arbitrary: fc.record({
      op: fc.constant('partition' as const),
      groups: fc.array(fc.nat({ max: 2 }), { minLength: 8, maxLength: 8 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ op: fc.constant('heal' as const) }), weight: 2 },
  {
    arbitrary: fc.record({
      op: fc.constant('faults' as const),
      drop: fc.constantFrom(0, 0.05, 0.2, 0.5),
      duplicate: fc.constantFrom(0, 0.1, 0.3),
      delayMs: fc
        .tuple(fc.nat({ max: 60 }), fc.nat({ max: 120 }))
        .map(([a, b]): [number, number] => [Math.min(a, b), Math.max(a, b)]),
      reorder: fc.boolean(),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      op: fc.constant('forge' as const),
      from: who,
      to: who,
      kind: fc.constantFrom('end' as const, 'remove' as const),
      target: who,
    }),
    weight: 1,
  },
  { arbitrary: fc.record({ op: fc.constant('wait' as const), ms: fc.nat({ max: 1200 }) }), weight: 8 },
)

export function scheduleArbitrary(minPeople: number, maxPeople: number, maxOps = 40): fc.Arbitrary<Schedule> {
  return fc.integer({ min: minPeople, max: maxPeople }).chain((n) =>
    fc.record({
      cast: fc.record({
        roles: fc
          .array(fc.constantFrom<ParticipantRole>('participant', 'participant', 'host'), {
            minLength: n - 1,
            maxLength: n - 1,
          })
          .map((rest): ParticipantRole[] => ['host', ...rest]),
        heartbeats: fc.array(fc.constantFrom(50, 100, 100, 200), { minLength: n, maxLength: n }),
      }),
      seed: fc.nat(),
      crashLinkDownAfterMs: fc.option(fc.constantFrom(0, 50, 500), { nil: undefined }),
      joinGaps: fc.array(fc.constantFrom(0, 0, 5, 40, 300), { minLength: n, maxLength: n }),
      ops: fc.array(opArbitrary, { maxLength: maxOps }),
    }),
  )
}
