import { isProofSignature, readTimestamp } from './encoding.js'
import { MAX_PEER_ID_LENGTH } from './limits.js'
import { PEER_ID_PREFIX } from './peerId.js'

/**
 * The directory proof: what a session with a token bound to its key sends to list its meeting in the
 * room directory, as `Convene-Proof: <peerId>~<ts>~<sig>` next to `Authorization: Bearer <jwt>`.
 */

/**
 * The first line of what is signed: distinct from the signalling and hello payloads, so no proof made
 * for one is worth anything as another.
 */
export const DIRECTORY_CONTEXT = 'convene-directory-v1'
/** The request header carrying the proof. */
export const DIRECTORY_PROOF_HEADER = 'Convene-Proof'

/** The parts of a directory proof. */
export interface DirectoryProof {
  /** The session's peer id, in the listed meeting and for the token's participant. */
  readonly peerId: string
  /** When the proof was made, in ms since the epoch; each proof is accepted once. */
  readonly ts: number
  /** base64url of the session key's raw P-256 signature of {@link directoryPayload}. */
  readonly signature: string
}

const PEER_ID_SHAPE = /^cv-[0-9a-f-]+$/

/** Whether `value` has the shape of a Convene peer id (a cheap check; `parsePeerId` decodes it). */
export function isPeerIdShaped(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length <= MAX_PEER_ID_LENGTH &&
    value.startsWith(PEER_ID_PREFIX) &&
    PEER_ID_SHAPE.test(value)
  )
}

/**
 * What the session key signs to list `meetingId`: the UTF-8 bytes of
 * `convene-directory-v1\n<meetingId>\n<peerId>\n<ts>`, `ts` in decimal milliseconds.
 */
export function directoryPayload(meetingId: string, peerId: string, ts: number): string {
  return `${DIRECTORY_CONTEXT}\n${meetingId}\n${peerId}\n${ts}`
}

/** The `Convene-Proof` header's value: `<peerId>~<ts>~<sig>`. Its parts are not checked here. */
export function formatDirectoryProof(proof: DirectoryProof): string {
  return `${proof.peerId}~${proof.ts}~${proof.signature}`
}

/** The parts of a directory proof, well-formed but not yet verified; `null` when malformed. */
export function parseDirectoryProof(value: string): DirectoryProof | null {
  const parts = value.trim().split('~')
  if (parts.length !== 3) return null
  const [peerId, ts, signature] = parts as [string, string, string]
  const time = readTimestamp(ts)
  if (!isPeerIdShaped(peerId) || time === null || !isProofSignature(signature)) return null
  return { peerId, ts: time, signature }
}
