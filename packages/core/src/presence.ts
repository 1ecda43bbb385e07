import { floorMs, type GapEstimate } from './departureDetector.js'
import type { PersistentMap } from './PersistentMap.js'
import type { RemoveMessage } from './protocol.js'
import type { LinkId } from './transport.js'
import type { ParticipantRole } from './types.js'

/**
 * What this participant knows about one remote session (not part of the public roster), keyed by its
 * session id. One flat record: the departure detector's gap estimate is four of its numbers. Every
 * remote participant holds one, kept as a slot of columns (`PresenceColumns`; a read gives a fresh
 * copy), where each field costs 4 to 8 bytes: what is nearly always the same for every session (its
 * link is up, its heartbeat interval leaves the floor at `departureTimeoutMs`) is kept beside the
 * presences instead, for the few it differs for (`Asides`).
 */
export interface Presence extends GapEstimate {
  readonly participantId: string
  /** The link it was last heard on (`Asides.unlinked`: whether that link is still up). */
  readonly linkId: LinkId
  /** When that session started, by its own clock: the newest session of a participant id wins. */
  readonly joinedAt: number
  readonly lastSeq: number
  /** The local tick count when this session was last heard: silence is counted in our own ticks. */
  readonly lastHeardTick: number
  /** The seq of the newest hello or MEDIA message its `micOn`/`webcamOn` came from. */
  readonly mediaSeq: number
}

/** A remote session that went away; `final` ones (left, removed) never come back. */
export interface Departure {
  readonly lastSeq: number
  readonly final: boolean
  /** The local tick it went at: after a while it is forgotten, so a long meeting's bookkeeping stays flat. */
  readonly atTick: number
  /** Its role, so a command it gave as host still counts when relayed after it went quiet. */
  readonly role: ParticipantRole | undefined
  /** The REMOVE that took it out: sent to it again whenever it still speaks (it may have missed it). */
  readonly removal: RemoveMessage | undefined
}

/** What is kept of some present sessions only, beside their presences (see `Presence`). */
export interface Asides {
  /**
   * Present sessions whose link went down and that have not been heard since: their `linkId` is no
   * longer their link, though a transport's `presence-gone` may still name it.
   */
  unlinked: PersistentMap<string, true>
  /**
   * The announced heartbeat interval of each present session whose interval raises its departure floor
   * above `departureTimeoutMs` (3 intervals longer than it). Absent: the floor is `departureTimeoutMs`.
   */
  slowBeats: PersistentMap<string, number>
}

/** Whether `presence.linkId` is still that session's link. */
export const isLinked = (asides: Asides, sessionId: string): boolean => !asides.unlinked.has(sessionId)

/**
 * The session's announced heartbeat interval as far as its floor goes: the interval itself where it
 * raises the floor, else 0, which gives the same floor (`floorMs`).
 */
export const floorIntervalMs = (asides: Asides, sessionId: string): number =>
  asides.slowBeats.get(sessionId) ?? 0

/** Whether a session announcing this heartbeat interval must have it kept (`Asides.slowBeats`). */
export const raisesFloor = (timing: Parameters<typeof floorMs>[0], intervalMs: number): boolean =>
  floorMs(timing, intervalMs) > timing.departureTimeoutMs
