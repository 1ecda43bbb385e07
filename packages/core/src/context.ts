import type { GapEstimate } from './departureDetector.js'
import { PersistentMap } from './PersistentMap.js'
import type { RemoveMessage } from './protocol.js'
import type { LinkId } from './transport.js'
import type { JoinFailureReason, MeetingLeftReason, Participant, ParticipantRole } from './types.js'

/** Timings after option defaults are applied; see `CreateMeetingOptions` for each. */
export interface MeetingTiming {
  /** Heartbeat and departure-sweep period: min(heartbeatIntervalMs, departureTimeoutMs / 3). */
  tickMs: number
  departureTimeoutMs: number
  joinTimeoutMs: number
  leaveTimeoutMs: number
  reconnectTimeoutMs: number
  /** How often an unconfirmed goodbye is sent again while leaving. */
  retransmitMs: number
}

/** What this participant knows about one remote session (not part of the public roster). */
export interface Presence {
  readonly sessionId: string
  readonly participantId: string
  readonly linkId: LinkId
  readonly intervalMs: number
  /** When that session started, by its own clock: the newest session of a participant id wins. */
  readonly joinedAt: number
  readonly lastSeq: number
  /** The local tick count when this session was last heard: silence is counted in our own ticks. */
  readonly lastHeardTick: number
  /** The gaps between its messages so far: how long a silence is still normal for it (`departureDetector`). */
  readonly gaps: GapEstimate
  /** The seq of the newest hello or MEDIA message its `micOn`/`webcamOn` came from. */
  readonly mediaSeq?: number
}

/** A remote session that went away; `final` ones (left, removed) never come back. */
export interface Departure {
  readonly lastSeq: number
  readonly final: boolean
  /** The local tick it went at: after a while it is forgotten, so a long meeting's bookkeeping stays flat. */
  readonly atTick: number
  /** Its role, so a command it gave as host still counts when relayed after it went quiet. */
  readonly role?: ParticipantRole
  /** The REMOVE that took it out: sent to it again whenever it still speaks (it may have missed it). */
  readonly removal?: RemoveMessage
}

export type EndReason = MeetingLeftReason | JoinFailureReason

export interface MeetingInput {
  meetingId: string
  local: Participant
  joinedAt: number
  timing: MeetingTiming
  /** Peers' hellos arrive verified (identity and role from their tokens); unverified ones are refused. */
  authRequired: boolean
}

export interface MeetingContext extends MeetingInput {
  /** Sequence number of the next message this session sends. */
  seq: number
  /** Ticks of the heartbeat clock while connected. */
  tick: number
  /** The public roster, by participant id. */
  members: PersistentMap<string, Participant>
  /** Bumped on every roster change, so readers copy the roster only when it changed. */
  rosterVersion: number
  presence: PersistentMap<string, Presence>
  links: PersistentMap<LinkId, string>
  departed: PersistentMap<string, Departure>
  /** END and REMOVE commands already obeyed and relayed (`origin:seq`), so duplicates do nothing. */
  seenCommands: PersistentMap<string, true>
  /** While joining: the links announced at `ready` that have not said hello yet. */
  expected: PersistentMap<LinkId, true> | null
  /** While leaving: the goodbye being sent and the sessions yet to confirm it. */
  goodbye: { kind: 'leave' | 'end'; awaiting: PersistentMap<string, true> } | null
  wasJoined: boolean
  leaveReason: EndReason | null
  endReason: EndReason | null
  localStream: unknown
}

export function initialContext(input: MeetingInput): MeetingContext {
  return {
    ...input,
    seq: 0,
    tick: 0,
    members: PersistentMap.empty(),
    rosterVersion: 0,
    presence: PersistentMap.empty(),
    links: PersistentMap.empty(),
    departed: PersistentMap.empty(),
    seenCommands: PersistentMap.empty(),
    expected: null,
    goodbye: null,
    wasJoined: false,
    leaveReason: null,
    endReason: null,
    localStream: null,
  }
}
