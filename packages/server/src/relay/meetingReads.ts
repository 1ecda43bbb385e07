import type { RelayEnded, RelayGone } from '@convene/core/wire'
import type { RelayState, Roster } from './relayState.js'

/** What a session that connects afresh is told of its meeting: see `RelayState.roster`, `recentlyGone`, `recentlyEnded`. */
export interface MeetingView extends Roster {
  recentlyGone: RelayGone[]
  ended: RelayEnded | null
}

/**
 * The least time from the start of one read of a meeting to the next. A herd's admissions come faster
 * than reads end: back to back, a node spent a read of the whole room (O(N), ~270 kB at 1,000) per
 * few returners, all through its herd. Spaced, the sessions asking meanwhile share the next read, at
 * the cost of at most this long for each; a read with none before it in this time starts at once.
 */
export const READ_SPACING_MS = 100

/**
 * Reads a meeting for the sessions that connect to it afresh, one read at a time per meeting, shared
 * by every session that asked before it started: each caller gets a read begun after its call (so it
 * sees what the caller listed just before), and a herd coming back after a node died costs a few reads
 * of the room, not one per returner (each an O(N) read and parse of the whole room).
 */
export function createMeetingReads(
  state: RelayState,
  spacingMs = READ_SPACING_MS,
): (meetingKey: string) => Promise<MeetingView> {
  const running = new Map<string, Promise<MeetingView>>()
  const queued = new Map<string, Promise<MeetingView>>()
  /** When each meeting's last read started, while it may still hold the next one back. */
  const started = new Map<string, number>()
  const spaced = (meetingKey: string): Promise<void> => {
    const wait = (started.get(meetingKey) ?? Number.NEGATIVE_INFINITY) + spacingMs - Date.now()
    return wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve()
  }
  const start = (meetingKey: string): Promise<MeetingView> => {
    started.set(meetingKey, Date.now())
    const read = Promise.all([
      state.roster(meetingKey),
      state.recentlyGone(meetingKey),
      state.recentlyEnded(meetingKey),
    ]).then(([roster, recentlyGone, ended]) => ({ ...roster, recentlyGone, ended }))
    const done = () => {
      if (running.get(meetingKey) !== read) return
      running.delete(meetingKey)
      // Forgotten once it can hold nothing back, so a node does not keep every meeting it ever saw.
      setTimeout(() => {
        if (!running.has(meetingKey) && !queued.has(meetingKey)) started.delete(meetingKey)
      }, spacingMs).unref?.()
    }
    running.set(meetingKey, read)
    read.then(done, done)
    return read
  }
  return (meetingKey) => {
    const waiting = queued.get(meetingKey)
    if (waiting) return waiting
    const current = running.get(meetingKey)
    const last = started.get(meetingKey)
    if (!current && (last === undefined || Date.now() - last >= spacingMs)) return start(meetingKey)
    const next = (current ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => spaced(meetingKey))
      .then(() => {
        queued.delete(meetingKey)
        return start(meetingKey)
      })
    queued.set(meetingKey, next)
    return next
  }
}
