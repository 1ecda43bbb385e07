import { describe, it } from 'vitest'
import { assertSchedules } from './support/property.js'

describe('random fault schedules on the memory network', () => {
  it('keep every invariant for 2-8 participants', { timeout: 600_000 }, async () => {
    const started = performance.now()
    const count = await assertSchedules(2, 8, 50)
    console.log(`${count} schedules in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  })
})
