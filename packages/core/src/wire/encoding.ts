/** The shapes of the fields the proofs are made of, as both their builder and their verifier test them. */

/** A timestamp in decimal milliseconds since the epoch (`Date.now()`): positive, at most 15 digits. */
const TIMESTAMP = /^[1-9][0-9]{0,14}$/
/** base64url of a raw ECDSA P-256 signature (r || s, 64 bytes), unpadded. */
const SIGNATURE = /^[A-Za-z0-9_-]{86}$/
/** A compact JWS: three base64url parts. */
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/

/** Whether `ts` is a proof timestamp: a positive safe integer of milliseconds. */
export function isProofTimestamp(ts: unknown): ts is number {
  return typeof ts === 'number' && Number.isSafeInteger(ts) && TIMESTAMP.test(String(ts))
}

/** Whether `value` is base64url of a raw 64-byte P-256 signature, as the session key makes them. */
export function isProofSignature(value: unknown): value is string {
  return typeof value === 'string' && SIGNATURE.test(value)
}

/** Whether `value` has the shape of a compact JWT (not whether it verifies). */
export function isJwtShaped(value: unknown): value is string {
  return typeof value === 'string' && JWT.test(value)
}

/** The decimal timestamp of a proof's text form, or `null`. */
export function readTimestamp(text: string): number | null {
  return TIMESTAMP.test(text) ? Number(text) : null
}
