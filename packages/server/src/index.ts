export type {
  ConveneServerAuth,
  TokenDecision,
  TokenGrant,
  TokenRequest,
} from './auth/authOptions.js'
export type { TokenClaims } from './auth/createToken.js'
export { createToken } from './auth/createToken.js'
export type { SessionPublicKey } from './auth/publicKey.js'
export type { SigningKey, SigningKeyOptions } from './auth/signingKey.js'
export { generateSigningKey, importSigningKey } from './auth/signingKey.js'
export type { ConveneServer } from './createConveneServer.js'
export { createConveneServer } from './createConveneServer.js'
export type { AuthorizeRequest, ConveneServerOptions } from './options.js'
export { meetingKey, meetingKeyOfPeerId } from './peerId.js'
export type { RoomDirectory } from './roomDirectory.js'
export { createRoomDirectory } from './roomDirectory.js'
export type { TokenResponse } from './tokenRouter.js'
