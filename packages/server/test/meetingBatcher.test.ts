/** Presence changes are gathered per meeting; with `leading`, a lone change waits for no window. */
import { describe, expect, it } from 'vitest'
import { createMeetingBatcher } from '../src/relay/meetingBatcher.js'

describe('createMeetingBatcher', () => {
  it('gathers a window of changes per meeting into one telling each, in order', () => {
    const told: Array<[string, string[]]> = []
    const batcher = createMeetingBatcher<string>(
      (meetingKey, items) => told.push([meetingKey, items]),
      60_000,
    )
    batcher.add('m', 'a')
    batcher.add('n', 'x')
    batcher.add('m', 'b')
    expect(told).toEqual([])
    batcher.flush()
    expect(told).toEqual([
      ['m', ['a', 'b']],
      ['n', ['x']],
    ])
  })

  it('with leading, tells the first change once its code is done and gathers the rest of its window', async () => {
    const told: Array<[string, string[]]> = []
    const batcher = createMeetingBatcher<string>(
      (meetingKey, items) => told.push([meetingKey, items]),
      60_000,
      {
        leading: true,
      },
    )
    batcher.add('m', 'a')
    batcher.add('m', 'b')
    // Added in one go (a meeting closed at once): told together, after it.
    expect(told).toEqual([])
    await Promise.resolve()
    expect(told).toEqual([['m', ['a', 'b']]])
    batcher.add('m', 'b')
    batcher.add('m', 'c')
    expect(told).toHaveLength(1)
    batcher.flush()
    expect(told).toEqual([
      ['m', ['a', 'b']],
      ['m', ['b', 'c']],
    ])
    // The window closed: the next lone change waits for no window again.
    batcher.add('m', 'd')
    await Promise.resolve()
    expect(told.at(-1)).toEqual(['m', ['d']])
    batcher.flush()
  })
})
