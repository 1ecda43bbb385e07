import { MeetingError } from '@convene/core'

/**
 * The proof a Convene client sends with a bound token to list a meeting in the room directory, in the
 * `Convene-Proof` header next to `Authorization: Bearer <jwt>`: `<peerId>~<ts>~<sig>`. This module has
 * no Node dependency (keep `@convene/transport-peerjs`'s copy in step with it).
 */

/** The first line of what is signed: distinct from the signalling and hello payloads, so no proof made for one is worth anything as another. */
export const DIRECTORY_CONTEXT = 'convene-directory-v1'
/** The request header carrying the proof. */
export const DIRECTORY_PROOF_HEADER = 'Convene-Proof'

const PEER_ID = /^cv-[0-9a-f-]{1,1000}$/
const TIMESTAMP = /^[1-9][0-9]{0,14}$/
/** base64url of 64 bytes (r || s), unpadded. */
const SIGNATURE = /^[A-Za-z0-9_-]{86}$/

/**
 * What the session key signs to list `meetingId`: the UTF-8 bytes of
 * `convene-directory-v1\n<meetingId>\n<peerId>\n<ts>`, `ts` in decimal milliseconds (`Date.now()`).
 */
export function directoryPayload(meetingId: string, peerId: string, ts: number): string {
  return `${DIRECTORY_CONTEXT}\n${meetingId}\n${peerId}\n${ts}`
}

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
 * The value of the `Convene-Proof` header: `<peerId>~<ts>~<sig>`. Rejects with
 * `MeetingError('INVALID_OPTION')` naming the part (`peerId`, `ts`, `sign`) the server would refuse.
 */
export async function createDirectoryProof(parts: DirectoryProofParts): Promise<string> {
  const ts = parts.ts ?? Date.now()
  if (typeof parts.peerId !== 'string' || !PEER_ID.test(parts.peerId)) {
    throw MeetingError.invalidOption('peerId', 'must be a Convene peer id')
  }
  if (!Number.isSafeInteger(ts) || !TIMESTAMP.test(String(ts))) {
    throw MeetingError.invalidOption('ts', 'must be a positive integer of milliseconds')
  }
  const signature = await parts.sign(directoryPayload(parts.meetingId, parts.peerId, ts))
  if (typeof signature !== 'string' || !SIGNATURE.test(signature)) {
    throw MeetingError.invalidOption('sign', 'must resolve base64url of a raw 64-byte P-256 signature')
  }
  return `${parts.peerId}~${ts}~${signature}`
}

/** The parts of a directory proof, well-formed but not yet verified; `null` when malformed. */
export function parseDirectoryProof(value: string): { peerId: string; ts: number; signature: string } | null {
  const parts = value.trim().split('~')
  if (parts.length !== 3) return null
  const [peerId, ts, signature] = parts as [string, string, string]
  if (!PEER_ID.test(peerId) || !TIMESTAMP.test(ts) || !SIGNATURE.test(signature)) return null
  return { peerId, ts: Number(ts), signature }
}
