import type { MeetingError } from './MeetingError.js'
import type { MeetingLeftReason, MeetingState, ParticipantLeftReason } from './meetingState.js'
import type { Participant } from './participant.js'

/** Every event a `Meeting` emits, with its listener's signature. */
export interface MeetingEventMap {
  /** This session joined: `participants` now lists those already in. Once per session, before any event about others. */
  'meeting-joined': () => void
  /**
   * This session is over, and why (`leave()`, `dispose()`, an end, a removal, a lost network, a newer
   * session of the same id). Exactly once per joined session, and nothing fires after it.
   */
  'meeting-left': (info: { reason: MeetingLeftReason }) => void
  /** A remote participant joined (or a session of theirs replaced one that had gone). Once per arrival. */
  'participant-joined': (participant: Participant) => void
  /** A remote participant is gone, and why: exactly once per arrival, whatever told of it first. */
  'participant-left': (participant: Participant, info: { reason: ParticipantLeftReason }) => void
  /** A remote participant's `stream`, `micOn` or `webcamOn` changed: once per change, with the updated participant. */
  'participant-media-changed': (participant: Participant) => void
  /** `meetingState` changed (`CONNECTING`, `CONNECTED`, `RECONNECTING`, `DISCONNECTED`); fired before the events the change causes. */
  'meeting-state-changed': (info: { state: MeetingState }) => void
  /**
   * Something went wrong that no promise answers: a message dropped as invalid, a command from a
   * non-host ignored, a token refused, a transport failure. The meeting goes on unless it says otherwise.
   */
  error: (error: MeetingError) => void
}

export type MeetingEventName = keyof MeetingEventMap

/** Events the statechart emits; the facade re-emits them under the same names. */
export type MeetingEmitted =
  | { type: 'meeting-joined' }
  | { type: 'meeting-left'; reason: MeetingLeftReason }
  | { type: 'participant-joined'; participant: Participant }
  | { type: 'participant-left'; participant: Participant; reason: ParticipantLeftReason }
  | { type: 'participant-media-changed'; participant: Participant }
  | { type: 'error'; error: MeetingError }
