export type { PublicJwk } from './auth/sessionKey.js'
export { createMeeting } from './createMeeting.js'
export type { MeetingErrorCode, MeetingErrorDetails } from './MeetingError.js'
export { isMeetingError, MeetingError } from './MeetingError.js'
export type { MeetingActorRef, MeetingCommand, MeetingEvent, MeetingMachine } from './meetingMachine.js'
export { meetingMachine } from './meetingMachine.js'
export * from './memory/index.js'
export type {
  AckMessage,
  EndMessage,
  HeartbeatMessage,
  HelloMessage,
  LeaveMessage,
  MediaMessage,
  MediaState,
  RemoveMessage,
  WireMessage,
  WireMessageType,
} from './protocol.js'
export { PROTOCOL_VERSION, parseWireMessage } from './protocol.js'
export type { TransportTap } from './tapTransport.js'
export { tapTransport } from './tapTransport.js'
export type {
  LinkId,
  Observer,
  Subscribable,
  Transport,
  TransportEvent,
  TransportSession,
  TransportSessionOptions,
  Unsubscribable,
} from './transport.js'
export type {
  CreateMeetingOptions,
  InspectOption,
  JoinFailureReason,
  MediaStreamLike,
  Meeting,
  MeetingActor,
  MeetingAuth,
  MeetingEventMap,
  MeetingEventName,
  MeetingLeftReason,
  MeetingMediaStream,
  MeetingSnapshot,
  MeetingState,
  MeetingStatus,
  Participant,
  ParticipantInfo,
  ParticipantLeftReason,
  ParticipantRole,
  TokenProvider,
  TokenRequest,
} from './types.js'
export type { MeetingEmitted } from './work.js'
