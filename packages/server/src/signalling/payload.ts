import { MeetingError } from '@convene/core'
import {
  formatSignallingToken,
  isJwtShaped,
  isProofSignature,
  isProofTimestamp,
  isSignallingSecret,
  PROOF_WINDOW_MS,
  signallingPayload,
} from '@convene/core/wire'

/** What {@link createSignallingToken} needs: the same parts a client has at each connect. */
export interface SignallingTokenParts {
  /** The peer id to register (PeerJS's `id` query parameter). */
  peerId: string
  /**
   * base64url, 16-43 characters, random and fixed for the session: PeerServer keeps only this as the
   * client's token, so a reconnect with a new proof is recognised as the same client.
   */
  secret: string
  /** The participant's token, bound to the session key (`cnf.jwk`). */
  token: string
  /** Signs UTF-8 text with the session key, resolving to base64url of the raw r || s signature. */
  sign: (data: string) => Promise<string>
  /** The timestamp to sign, in ms. Defaults to `Date.now()`: build a new proof for every connect. */
  ts?: number
}

/**
 * The value of PeerServer's `token` query parameter when the server has `auth`:
 * `<secret>~<jwt>~<ts>~<sig>`, the signalling proof of `@convene/core/wire` (where the PeerJS transport
 * builds it too). Rejects with `MeetingError('INVALID_OPTION')` naming the part (`secret`, `token`,
 * `ts`, or `sign` when it resolves something other than a 64-byte signature in base64url) that the
 * server would refuse.
 */
export async function createSignallingToken(parts: SignallingTokenParts): Promise<string> {
  const { secret, token } = parts
  const ts = parts.ts ?? Date.now()
  if (!isSignallingSecret(secret))
    throw MeetingError.invalidOption('secret', 'must be 16-43 base64url characters')
  if (!isJwtShaped(token)) throw MeetingError.invalidOption('token', 'must be a JWT')
  if (!isProofTimestamp(ts))
    throw MeetingError.invalidOption('ts', 'must be a positive integer of milliseconds')
  const signature = await parts.sign(signallingPayload(parts.peerId, ts, secret))
  if (!isProofSignature(signature)) {
    throw MeetingError.invalidOption('sign', 'must resolve base64url of a raw 64-byte P-256 signature')
  }
  return formatSignallingToken({ secret, jwt: token, ts, signature })
}

/**
 * How far a proof's `ts` may be from the server's clock, either way: two minutes.
 * @deprecated The same value as `PROOF_WINDOW_MS` of `@convene/core/wire`, which every proof shares.
 */
export const SIGNALLING_MAX_SKEW_MS: number = PROOF_WINDOW_MS
