import type { RelayEnded, RelayGone } from '@convene/core/wire'
import type { RelayState, Roster } from './relayState.js'

/** What a session that connects afresh is told of its meeting: see `RelayState.roster`, `recentlyGone`, `recentlyEnded`. */
export interface MeetingView extends Roster {
  recentlyGone: RelayGone[]
  ended: RelayEnded | null
}

/**
 * Reads a meeting for the sessions that connect to it afresh, one read at a time per meeting, shared
 * by every session that asked before it started: each caller gets a read begun after its call (so it
 * sees what the caller listed just before), and a herd coming back after a node died costs a few reads
 * of the room, not one per returner (each an O(N) read and parse of the whole room).
 */
export function createMeetingReads(state: RelayState): (meetingKey: string) => Promise<MeetingView> {
  const running = new Map<string, Promise<MeetingView>>()
  const queued = new Map<string, Promise<MeetingView>>()
  const start = (meetingKey: string): Promise<MeetingView> => {
    const read = Promise.all([
      state.roster(meetingKey),
      state.recentlyGone(meetingKey),
      state.recentlyEnded(meetingKey),
    ]).then(([roster, recentlyGone, ended]) => ({ ...roster, recentlyGone, ended }))
    const done = () => {
      if (running.get(meetingKey) === read) running.delete(meetingKey)
    }
    running.set(meetingKey, read)
    read.then(done, done)
    return read
  }
  return (meetingKey) => {
    const waiting = queued.get(meetingKey)
    if (waiting) return waiting
    const current = running.get(meetingKey)
    if (!current) return start(meetingKey)
    const next = current
      .catch(() => undefined)
      .then(() => {
        queued.delete(meetingKey)
        return start(meetingKey)
      })
    queued.set(meetingKey, next)
    return next
  }
}
