import { MeetingError } from '@convene/core'

/**
 * The signalling proof a Convene client puts in PeerServer's `token` query parameter, when the server
 * has `auth`: `<secret>~<jwt>~<ts>~<sig>`. This module has no Node dependency, so a browser client can
 * build the same strings (keep `@convene/transport-peerjs`'s copy in step with it).
 */

/** The first line of what is signed: names the purpose, so the signature is worth nothing elsewhere. */
export const SIGNALLING_CONTEXT = 'convene-signal-v1'
/** How far a proof's `ts` may be from the server's clock, either way: two minutes. */
export const SIGNALLING_MAX_SKEW_MS = 120_000

const SECRET = /^[A-Za-z0-9_-]{16,43}$/
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/
const TIMESTAMP = /^[1-9][0-9]{0,14}$/
/** base64url of 64 bytes (r || s), unpadded. */
const SIGNATURE = /^[A-Za-z0-9_-]{86}$/

/**
 * What the session key signs to register `peerId` on PeerServer: the UTF-8 bytes of
 * `convene-signal-v1\n<peerId>\n<ts>\n<secret>`, `ts` in decimal milliseconds (`Date.now()`).
 */
export function signallingPayload(peerId: string, ts: number, secret: string): string {
  return `${SIGNALLING_CONTEXT}\n${peerId}\n${ts}\n${secret}`
}

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
 * The value of PeerServer's `token` query parameter: `<secret>~<jwt>~<ts>~<sig>`. Rejects with
 * `MeetingError('INVALID_OPTION')` naming the part (`secret`, `token`, `ts`, or `sign` when it resolves
 * something other than a 64-byte signature in base64url) that the server would refuse.
 */
export async function createSignallingToken(parts: SignallingTokenParts): Promise<string> {
  const { secret, token } = parts
  const ts = parts.ts ?? Date.now()
  if (typeof secret !== 'string' || !SECRET.test(secret)) {
    throw MeetingError.invalidOption('secret', 'must be 16-43 base64url characters')
  }
  if (typeof token !== 'string' || !JWT.test(token))
    throw MeetingError.invalidOption('token', 'must be a JWT')
  if (!Number.isSafeInteger(ts) || !TIMESTAMP.test(String(ts))) {
    throw MeetingError.invalidOption('ts', 'must be a positive integer of milliseconds')
  }
  const signature = await parts.sign(signallingPayload(parts.peerId, ts, secret))
  if (typeof signature !== 'string' || !SIGNATURE.test(signature)) {
    throw MeetingError.invalidOption('sign', 'must resolve base64url of a raw 64-byte P-256 signature')
  }
  return `${secret}~${token}~${ts}~${signature}`
}

/** The parts of a signalling token, well-formed but not yet verified; `null` when malformed. */
export function parseSignallingToken(
  value: string,
): { secret: string; jwt: string; ts: number; signature: string } | null {
  const parts = value.split('~')
  if (parts.length !== 4) return null
  const [secret, jwt, ts, signature] = parts as [string, string, string, string]
  if (!SECRET.test(secret) || !JWT.test(jwt) || !TIMESTAMP.test(ts) || !SIGNATURE.test(signature)) return null
  return { secret, jwt, ts: Number(ts), signature }
}
