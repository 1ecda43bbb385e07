export { MeetingError, isMeetingError } from './MeetingError.js'
export type { MeetingErrorCode, MeetingErrorDetails } from './MeetingError.js'
export { PROTOCOL_VERSION, parseWireMessage } from './protocol.js'
export type {
  AckMessage,
  EndMessage,
  HeartbeatMessage,
  HelloMessage,
  LeaveMessage,
  RemoveMessage,
  WireMessage,
  WireMessageType,
} from './protocol.js'
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
  Meeting,
  MeetingActor,
  MeetingEventMap,
  MeetingEventName,
  MeetingLeftReason,
  MeetingSnapshot,
  MeetingState,
  MeetingStatus,
  Participant,
  ParticipantInfo,
  ParticipantLeftReason,
  ParticipantRole,
} from './types.js'
export * from './memory/index.js'
