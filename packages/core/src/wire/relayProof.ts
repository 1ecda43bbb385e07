import { isJwtShaped, isProofSignature, readTimestamp } from './encoding.js'

/**
 * The relay proof: what a session with a token bound to its key sends in its Socket.IO handshake
 * (`auth: { address, proof }`) to register its address on `@convene/server`'s relay,
 * `<jwt>~<ts>~<sig>`. The server checks it at every connect, so only the holder of the token's key can
 * send or receive under the address.
 */

/** The first line of what is signed: distinct from signalling, directory and hello proofs. */
export const RELAY_CONTEXT = 'convene-relay-v1'
/** Where the server's relay listens unless configured otherwise. */
export const DEFAULT_RELAY_PATH = '/convene/relay'

/** The parts of a relay proof. */
export interface RelayProof {
  /** The participant's token, bound to the session key (`cnf.jwk`). */
  readonly jwt: string
  /** When the proof was made, in ms since the epoch; each (address, ts) is accepted once. */
  readonly ts: number
  /** base64url of the session key's raw P-256 signature of {@link relayPayload}. */
  readonly signature: string
}

/**
 * What the session key signs to register `address` (a Convene peer id) on the relay: the UTF-8 bytes
 * of `convene-relay-v1\n<address>\n<ts>`, `ts` in decimal milliseconds.
 */
export function relayPayload(address: string, ts: number): string {
  return `${RELAY_CONTEXT}\n${address}\n${ts}`
}

/** The handshake's `proof`: `<jwt>~<ts>~<sig>`. Its parts are not checked here. */
export function formatRelayProof(proof: RelayProof): string {
  return `${proof.jwt}~${proof.ts}~${proof.signature}`
}

/** The parts of a relay proof, well-formed but not yet verified; `null` when malformed. */
export function parseRelayProof(value: string): RelayProof | null {
  const parts = value.split('~')
  if (parts.length !== 3) return null
  const [jwt, ts, signature] = parts as [string, string, string]
  const time = readTimestamp(ts)
  if (!isJwtShaped(jwt) || time === null || !isProofSignature(signature)) return null
  return { jwt, ts: time, signature }
}
