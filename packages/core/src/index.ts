export { createMeeting } from './createMeeting.js'
export type { MeetingErrorCode, MeetingErrorDetails } from './MeetingError.js'
export { isMeetingError, MeetingError } from './MeetingError.js'
export { createMemoryNetwork, INJECTED_LINK_ID } from './memory/createMemoryNetwork.js'
export type { MemoryMediaStream, MemoryMediaTrack } from './memory/standInMedia.js'
export type {
  MemoryFaults,
  MemoryNetwork,
  MemoryNetworkOptions,
  MemoryNetworkStats,
  MemoryObserverErrorInfo,
  MemorySessionInfo,
  MemorySessionState,
} from './memory/types.js'
export { parseWireMessage } from './parseWireMessage.js'
export type {
  AckMessage,
  Delivery,
  EndMessage,
  HeartbeatMessage,
  HelloMessage,
  LeaveMessage,
  MediaMessage,
  MediaState,
  RemoveMessage,
  WireEnvelope,
  WireMessage,
  WireMessageType,
} from './protocol.js'
export { PROTOCOL_VERSION } from './protocol.js'
export { meetingMachine } from './publicMachine.js'
export type { TransportTap } from './tapTransport.js'
export { tapTransport } from './tapTransport.js'
export type {
  AttestedPeer,
  LinkId,
  Observer,
  PresenceGoneReason,
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
  MeetingCommand,
  MeetingEmitted,
  MeetingEvent,
  MeetingEventMap,
  MeetingEventName,
  MeetingLeftReason,
  MeetingMachine,
  MeetingMachineContext,
  MeetingMachineSnapshot,
  MeetingMediaStream,
  MeetingSessionEvent,
  MeetingSnapshot,
  MeetingState,
  MeetingStatus,
  Participant,
  ParticipantInfo,
  ParticipantLeftReason,
  ParticipantRole,
  PublicJwk,
  TokenProvider,
  TokenProviderRequest,
} from './types.js'
