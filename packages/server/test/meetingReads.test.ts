/** Welcome reads of a meeting are shared by the sessions waiting for one, and never older than the call. */
import { describe, expect, it } from 'vitest'
import { createMeetingReads } from '../src/relay/meetingReads.js'
import { createMemoryRelayState } from '../src/relay/relayState.js'

const record = (address: string, sid: string) => ({
  address,
  sid,
  role: 'participant' as const,
  name: address,
  joinedAt: 1,
  media: { mic: false, webcam: false },
  verified: true,
})

describe('createMeetingReads', () => {
  it('a herd of 100 arrivals costs two reads of the room, each begun after the calls it answers', async () => {
    const state = createMemoryRelayState()
    let reads = 0
    const counted = {
      ...state,
      roster: (meetingKey: string) => {
        reads++
        return state.roster(meetingKey)
      },
    }
    const read = createMeetingReads(counted)
    await state.add('m', record('first', 's0'))
    const firstRead = read('m')
    // Listed while the first read runs: answered by a second read, begun after the first ended.
    const later = Array.from({ length: 100 }, async (_, i) => {
      await state.add('m', record(`a${i}`, `s${i}`))
      return read('m')
    })
    const views = await Promise.all(later)
    expect((await firstRead).listed.map((m) => m.address)).toEqual(['first'])
    for (const view of views) expect(view.listed).toHaveLength(101)
    expect(reads).toBe(2)
    // Another meeting, or the same one later, reads afresh.
    await state.add('m', record('late', 'sl'))
    expect((await read('m')).listed).toHaveLength(102)
    expect(reads).toBe(3)
  })

  it('a read begun within the spacing of the last one waits for it, shared by every call meanwhile', async () => {
    const state = createMemoryRelayState()
    let reads = 0
    const read = createMeetingReads(
      {
        ...state,
        roster: (meetingKey: string) => {
          reads++
          return state.roster(meetingKey)
        },
      },
      300,
    )
    await state.add('m', record('first', 's0'))
    expect((await read('m')).listed).toHaveLength(1)
    // The first read has ended: without the spacing, each of these would start one of its own.
    await state.add('m', record('second', 's1'))
    const second = read('m')
    await state.add('m', record('third', 's2'))
    const third = read('m')
    expect(second).toBe(third)
    expect((await second).listed).toHaveLength(3)
    expect(reads).toBe(2)
  })

  it('a failed read fails its callers and the next call reads again', async () => {
    const state = createMemoryRelayState()
    let fail = true
    const read = createMeetingReads({
      ...state,
      roster: async (meetingKey: string) => {
        if (fail) throw new Error('redis down')
        return state.roster(meetingKey)
      },
    })
    await expect(read('m')).rejects.toThrow('redis down')
    fail = false
    expect((await read('m')).listed).toEqual([])
  })
})
