import fc from 'fast-check'
import { expect, vi } from 'vitest'
import { checkFinal, checkQuiet } from './invariants.js'
import { fuzzParameters, share } from './runs.js'
import { type Schedule, scheduleArbitrary } from './schedule.js'
import { castLabel, createStage, QUIET_MS, type Violation } from './stage.js'

/** Runs one schedule to the end and returns every invariant it broke (empty when all hold). */
export async function runSchedule(schedule: Schedule): Promise<Violation[]> {
  vi.useFakeTimers()
  try {
    const stage = createStage(schedule)
    const out: Violation[] = []
    await stage.run(schedule.ops)
    await stage.quiet()
    checkQuiet(stage, out)
    for (const tab of stage.tabs) if (!tab.dead) void tab.meeting.leave()
    await stage.advance(QUIET_MS)
    checkFinal(stage, out, vi.getTimerCount())
    out.push(...stage.violations)
    return out
  } finally {
    vi.clearAllTimers()
    vi.useRealTimers()
  }
}

/**
 * Checks the invariants over `runs` random schedules of `minPeople`-`maxPeople` participants. On a failure
 * fast-check shrinks the schedule and the error names the seed and path that replay it
 * (`FUZZ_SEED=… FUZZ_PATH=… npx vitest run --project core test/fuzz`).
 */
export async function assertSchedules(minPeople: number, maxPeople: number, runs: number): Promise<number> {
  let count = 0
  await fc.assert(
    fc.asyncProperty(scheduleArbitrary(minPeople, maxPeople), async (schedule) => {
      count++
      const violations = await runSchedule(schedule)
      if (violations.length > 0) {
        throw new Error(`cast ${castLabel(schedule.cast)}\n  ${[...new Set(violations)].join('\n  ')}`)
      }
    }),
    { ...fuzzParameters(runs), numRuns: runs },
  )
  expect(count).toBeGreaterThan(0)
  return count
}

/** CI runs 1,000 schedules in all; `FUZZ_RUNS` sets the total, shared by the files that run them. */
export const SCHEDULES_IN_CI = 1000

export function scheduleBudget(parts: number): { runs: number; timeout: number } {
  const runs = share(fuzzParameters(SCHEDULES_IN_CI).numRuns, parts)
  // About 0.1 s per schedule on a busy 2-core machine, with room for shrinking a failure.
  return { runs, timeout: Math.max(600_000, runs * 1000) }
}
