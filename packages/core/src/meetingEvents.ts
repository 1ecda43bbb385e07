import type { MeetingError } from './MeetingError.js'
import type { MeetingLeftReason, MeetingState, ParticipantLeftReason } from './meetingState.js'
import type { Participant } from './participant.js'

/** Every event a `Meeting` emits, with its listener's signature. */
export interface MeetingEventMap {
  'meeting-joined': () => void
  'meeting-left': (info: { reason: MeetingLeftReason }) => void
  'participant-joined': (participant: Participant) => void
  'participant-left': (participant: Participant, info: { reason: ParticipantLeftReason }) => void
  /** A remote participant's `stream`, `micOn` or `webcamOn` changed: once per change, with the updated participant. */
  'participant-media-changed': (participant: Participant) => void
  'meeting-state-changed': (info: { state: MeetingState }) => void
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
