/** A pair's wait for its first link is reported once: a deadline that passed is not started again. */
import { describe, expect, it } from 'vitest'
import { Deadlines } from '../src/deadlines.js'

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('Deadlines', () => {
  it('runs once per key, not again after it passed, and not at all once cancelled', async () => {
    const fired: string[] = []
    const deadlines = new Deadlines()
    deadlines.start('a', 5, () => fired.push('a'))
    deadlines.start('a', 5, () => fired.push('a again'))
    deadlines.start('b', 5, () => fired.push('b'))
    deadlines.cancel('b')
    await pause(30)
    deadlines.start('a', 5, () => fired.push('a after it passed'))
    deadlines.cancel('c')
    deadlines.start('c', 5, () => fired.push('c'))
    deadlines.cancelAll()
    await pause(30)
    expect(fired).toEqual(['a'])
    deadlines.start('a', 5, () => fired.push('a after cancelAll'))
    await pause(30)
    expect(fired).toEqual(['a', 'a after cancelAll'])
  })
})
