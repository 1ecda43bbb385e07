export type {
  ConvenePeerId,
  RelayClientEvents,
  RelayError,
  RelayErrorCode,
  RelayLeaveReason,
  RelayPeer,
  RelayServerEvents,
} from '@convene/core/wire'
export {
  DEFAULT_RELAY_PATH,
  DIRECTORY_CONTEXT,
  DIRECTORY_PROOF_HEADER,
  directoryPayload,
  meetingKey,
  meetingKeyOfPeerId,
  parsePeerId,
  RELAY_CONTEXT,
  RELAY_MAX_MESSAGE_CHARS,
  relayPayload,
  SIGNALLING_CONTEXT,
  signallingPayload,
} from '@convene/core/wire'
export type {
  ConveneServerAuth,
  TokenDecision,
  TokenGrant,
  TokenRequest,
} from './auth/authOptions.js'
export type { TokenClaims } from './auth/createToken.js'
export { createToken } from './auth/createToken.js'
export type { SessionPublicKey } from './auth/publicKey.js'
export type { SigningCryptoKey, SigningJwk, SigningKey, SigningKeyOptions } from './auth/signingKey.js'
export { generateSigningKey, importSigningKey } from './auth/signingKey.js'
export type { ConveneServer } from './createConveneServer.js'
export { createConveneServer } from './createConveneServer.js'
export type { ServerErrorBody, ServerErrorCode } from './httpErrors.js'
export type { LevelWithSilent, Logger } from './logger.js'
export type { AuthorizeRequest, ConveneServerOptions } from './options.js'
export type { DirectoryProofParts } from './proof/directoryProof.js'
export { createDirectoryProof } from './proof/directoryProof.js'
export type { ConveneRelayOptions, RelayTraffic } from './relay/relayOptions.js'
export type { RoomDirectory } from './roomDirectory.js'
export { createRoomDirectory } from './roomDirectory.js'
export type { SignallingTokenParts } from './signalling/payload.js'
export { createSignallingToken, SIGNALLING_MAX_SKEW_MS } from './signalling/payload.js'
export type { TokenResponse } from './tokenRouter.js'
