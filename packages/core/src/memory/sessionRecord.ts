import type { LinkId, Observer, TransportEvent, TransportSessionOptions } from '../transport.js'
import type { MemorySessionState } from './types.js'

/** One opened session, kept after it ends so `sessions()` can report how it ended. */
export interface SessionRecord extends TransportSessionOptions {
  state: MemorySessionState
  /** `null` once closed or crashed: nothing reaches a session after that. */
  observer: Observer<TransportEvent> | null
  /** Bumped whenever the session goes offline, so whatever was in flight to or from it is lost. */
  epoch: number
  /** Opened while its participant was offline: owed a `ready` (not a `reconnected`) when back. */
  awaitingReady: boolean
  inFlight: number
  drainWaiters: Array<() => void>
  /** Latest due time per destination, kept only while it lies in the future: FIFO under varying delays. */
  lastDue: Map<LinkId, number>
}

/** What is kept of a session once it closed or crashed: enough for `sessions()` and the duplicate check. */
export type EndedSessionRecord = Pick<
  SessionRecord,
  'sessionId' | 'participantId' | 'meetingId' | 'state'
> & {
  readonly observer: null
}

/** A session just opened: online, nothing in flight. */
export function openRecord(
  options: TransportSessionOptions,
  observer: Observer<TransportEvent>,
): SessionRecord {
  return {
    ...options,
    state: 'open',
    observer,
    epoch: 0,
    awaitingReady: false,
    inFlight: 0,
    drainWaiters: [],
    lastDue: new Map(),
  }
}
