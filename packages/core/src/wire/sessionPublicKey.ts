/**
 * A session's public key as a JWK (EC P-256, public members only): what a token bound to a session
 * carries as `cnf.jwk` (RFC 7800), what core's session key exports, and what the server signs into a
 * token. Every party reads it with {@link readSessionPublicKey}.
 */
export interface SessionPublicKey {
  /** Key type: always `'EC'`. */
  readonly kty: 'EC'
  /** Curve: always `'P-256'`. */
  readonly crv: 'P-256'
  /** base64url of the 32-byte x coordinate. */
  readonly x: string
  /** base64url of the 32-byte y coordinate. */
  readonly y: string
}

/** Members a JWK uses for private key material (EC's `d`, and RSA's, to refuse a wrong kind clearly). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const
const COORDINATE = /^[A-Za-z0-9_-]{43}$/

/**
 * The 4 members of a public EC P-256 JWK, or why `value` is not one. Extra public members (`kid`,
 * `key_ops`, `ext`, as WebCrypto exports them) are dropped, private ones refused. The shape only:
 * whether the point is on the curve is for WebCrypto's import to say.
 */
export function readSessionPublicKey(value: unknown): SessionPublicKey | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be a JWK object'
  const jwk = value as Record<string, unknown>
  if (PRIVATE_MEMBERS.some((member) => jwk[member] !== undefined)) {
    return 'must be a public key: it holds private key material (never send the private key)'
  }
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') return 'must be an EC P-256 key (kty "EC", crv "P-256")'
  const { x, y } = jwk
  if (typeof x !== 'string' || typeof y !== 'string' || !COORDINATE.test(x) || !COORDINATE.test(y)) {
    return 'must have `x` and `y` as base64url of 32 bytes'
  }
  return { kty: 'EC', crv: 'P-256', x, y }
}
