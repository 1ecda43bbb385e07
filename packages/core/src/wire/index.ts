/**
 * `@convene/core/wire`: the formats Convene's packages exchange, in one place, with no dependency. The
 * PeerJS transport builds these strings, the server and core check them, and each imports them from
 * here, so a change of format is one edit, seen by all.
 */

export type { DirectoryProof } from './directoryProof.js'
export {
  DIRECTORY_CONTEXT,
  DIRECTORY_PROOF_HEADER,
  directoryPayload,
  formatDirectoryProof,
  isPeerIdShaped,
  parseDirectoryProof,
} from './directoryProof.js'
export {
  isJwtShaped,
  isProofSignature,
  isProofTimestamp,
} from './encoding.js'
export type { EndCommand } from './endCommand.js'
export { readEndCommand } from './endCommand.js'
export type { Fail } from './fieldReaders.js'
export { readFields } from './fieldReaders.js'
export type { HelloProofFields } from './helloProof.js'
export { HELLO_CONTEXT, helloProofPayload } from './helloProof.js'
export {
  CLOCK_TOLERANCE_S,
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  MAX_PEER_ID_LENGTH,
  MAX_TOKEN_LENGTH,
  PROOF_WINDOW_MS,
} from './limits.js'
export type { ConvenePeerId } from './peerId.js'
export { createPeerId, meetingKey, meetingKeyOfPeerId, PEER_ID_PREFIX, parsePeerId } from './peerId.js'
export type { RelayProof } from './relayProof.js'
export {
  DEFAULT_RELAY_PATH,
  formatRelayProof,
  parseRelayProof,
  RELAY_CONTEXT,
  relayPayload,
} from './relayProof.js'
export type {
  PresentedSelf,
  RelayClientEvents,
  RelayEnded,
  RelayError,
  RelayErrorCode,
  RelayGone,
  RelayHandshakeAuth,
  RelayLeaveReason,
  RelayMember,
  RelayPeer,
  RelayRef,
  RelayServerEvents,
} from './relayProtocol.js'
export {
  isRelayEnded,
  isRelayGone,
  isRelayMember,
  isRelayPeer,
  RELAY_MAX_MESSAGE_CHARS,
  RELAY_MAX_PACKET_BYTES,
  RELAY_PROTOCOL_VERSION,
  readPresentedSelf,
  readRelayMedia,
} from './relayProtocol.js'
export { isRelayRef, mediaOfRef, relayRecordDigest, relayRefOf } from './relayRefs.js'
export type { SessionPublicKey } from './sessionPublicKey.js'
export { readSessionPublicKey } from './sessionPublicKey.js'
export type { ReadEnd, SignallingEnd, SignallingEnded } from './signallingEnd.js'
export {
  MAX_END_TEXT_LENGTH,
  readSignallingEnd,
  readSignallingEnded,
  SIGNALLING_END_TYPE,
  SIGNALLING_ENDED_TYPE,
  signallingEnd,
  signallingEnded,
} from './signallingEnd.js'
export type { SignallingPresence } from './signallingPresence.js'
export {
  MAX_PRESENCE_PEERS,
  readSignallingPresence,
  SIGNALLING_PRESENCE_TYPE,
  signallingPresence,
} from './signallingPresence.js'
export type { SignallingToken } from './signallingProof.js'
export {
  formatSignallingToken,
  isSignallingSecret,
  parseSignallingToken,
  SIGNALLING_CONTEXT,
  SIGNALLING_QUERY,
  signallingPayload,
} from './signallingProof.js'
