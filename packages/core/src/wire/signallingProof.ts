import { isJwtShaped, isProofSignature, readTimestamp } from './encoding.js'

/**
 * The signalling proof: what a session puts in PeerServer's `token` query parameter to register its
 * peer id on a Convene server with auth, `<secret>~<jwt>~<ts>~<sig>`. The server checks it on the
 * WebSocket upgrade and hands PeerServer only `<secret>`.
 */

/** The first line of what is signed: names the purpose, so the signature is worth nothing elsewhere. */
export const SIGNALLING_CONTEXT = 'convene-signal-v1'

/** The query parameters of a PeerServer connection URL (PeerJS's names) that the proof concerns. */
export const SIGNALLING_QUERY = { id: 'id', token: 'token' } as const

const SECRET = /^[A-Za-z0-9_-]{16,43}$/

/** The parts of a signalling token. */
export interface SignallingToken {
  /**
   * base64url, 16-43 characters, random and fixed for the session: PeerServer keeps only this as the
   * client's token, so a reconnect with a new proof is recognised as the same client.
   */
  readonly secret: string
  /** The participant's token, bound to the session key (`cnf.jwk`). */
  readonly jwt: string
  /** When the proof was made, in ms since the epoch; each (peer id, ts) is accepted once. */
  readonly ts: number
  /** base64url of the session key's raw P-256 signature of {@link signallingPayload}. */
  readonly signature: string
}

/** Whether `value` can be a session's signalling secret: 16-43 base64url characters. */
export function isSignallingSecret(value: unknown): value is string {
  return typeof value === 'string' && SECRET.test(value)
}

/**
 * What the session key signs to register `peerId`: the UTF-8 bytes of
 * `convene-signal-v1\n<peerId>\n<ts>\n<secret>`, `ts` in decimal milliseconds.
 */
export function signallingPayload(peerId: string, ts: number, secret: string): string {
  return `${SIGNALLING_CONTEXT}\n${peerId}\n${ts}\n${secret}`
}

/** The `token` query value: `<secret>~<jwt>~<ts>~<sig>`. Its parts are not checked here. */
export function formatSignallingToken(token: SignallingToken): string {
  return `${token.secret}~${token.jwt}~${token.ts}~${token.signature}`
}

/** The parts of a signalling token, well-formed but not yet verified; `null` when malformed. */
export function parseSignallingToken(value: string): SignallingToken | null {
  const parts = value.split('~')
  if (parts.length !== 4) return null
  const [secret, jwt, ts, signature] = parts as [string, string, string, string]
  const time = readTimestamp(ts)
  if (!isSignallingSecret(secret) || !isJwtShaped(jwt) || time === null || !isProofSignature(signature))
    return null
  return { secret, jwt, ts: time, signature }
}
