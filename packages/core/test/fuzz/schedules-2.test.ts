import { describe, it } from 'vitest'
import { assertSchedules, scheduleBudget } from './support/property.js'

// The schedules are split over two files so vitest runs them on two workers; see support/property.ts.
const { runs, timeout } = scheduleBudget(2)

describe('random fault schedules on the memory network (part 2 of 2)', () => {
  it(`${runs} schedules of 2-8 participants keep every invariant`, { timeout }, async () => {
    const started = performance.now()
    const count = await assertSchedules(2, 8, runs)
    console.log(`part 2: ${count} schedules in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  })
})
