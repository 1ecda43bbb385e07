import { MeetingError } from '@convene/core'
import {
  directoryPayload,
  formatDirectoryProof,
  isPeerIdShaped,
  isProofSignature,
  isProofTimestamp,
} from '@convene/core/wire'

/** What {@link createDirectoryProof} needs. */
export interface DirectoryProofParts {
  /** The meeting to list. */
  meetingId: string
  /** The session's peer id (in `meetingId`, for the token's participant). */
  peerId: string
  /** Signs UTF-8 text with the session key, resolving to base64url of the raw r || s signature. */
  sign: (data: string) => Promise<string>
  /** The timestamp to sign, in ms. Defaults to `Date.now()`: each proof is good for one request. */
  ts?: number
}

/**
 * The value of the `Convene-Proof` header a client sends with a bound token to list a meeting in the
 * room directory: `<peerId>~<ts>~<sig>`, the directory proof of `@convene/core/wire` (where the PeerJS
 * transport builds it too). Rejects with `MeetingError('INVALID_OPTION')` naming the part (`peerId`,
 * `ts`, `sign`) the server would refuse.
 */
export async function createDirectoryProof(parts: DirectoryProofParts): Promise<string> {
  const ts = parts.ts ?? Date.now()
  if (!isPeerIdShaped(parts.peerId)) throw MeetingError.invalidOption('peerId', 'must be a Convene peer id')
  if (!isProofTimestamp(ts))
    throw MeetingError.invalidOption('ts', 'must be a positive integer of milliseconds')
  const signature = await parts.sign(directoryPayload(parts.meetingId, parts.peerId, ts))
  if (!isProofSignature(signature)) {
    throw MeetingError.invalidOption('sign', 'must resolve base64url of a raw 64-byte P-256 signature')
  }
  return formatDirectoryProof({ peerId: parts.peerId, ts, signature })
}
