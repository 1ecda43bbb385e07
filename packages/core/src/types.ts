// Core's public types, one concept per file. Each of those files imports only other public types,
// so whatever imports them (this file included) can never close an import cycle through them.
export type { CreateMeetingOptions, InspectOption } from './createMeetingOptions.js'
export type { Meeting, MeetingSnapshot } from './Meeting.js'
export type { MeetingAuth, PublicJwk, TokenProvider, TokenProviderRequest } from './meetingAuth.js'
export type { MeetingEmitted, MeetingEventMap, MeetingEventName } from './meetingEvents.js'
export type {
  MeetingActor,
  MeetingCommand,
  MeetingEvent,
  MeetingMachine,
  MeetingMachineContext,
  MeetingMachineSnapshot,
  MeetingSessionEvent,
} from './meetingMachineTypes.js'
export type {
  JoinFailureReason,
  MeetingLeftReason,
  MeetingState,
  MeetingStatus,
  ParticipantLeftReason,
} from './meetingState.js'
export type {
  MediaStreamLike,
  MeetingMediaStream,
  Participant,
  ParticipantInfo,
  ParticipantRole,
} from './participant.js'
