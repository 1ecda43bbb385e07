import { MeetingError, type ParticipantRole } from '@convene/core'
import { MAX_ID_LENGTH } from '@convene/core/wire'
import { SignJWT } from 'jose'
import { checkSessionPublicKey, type SessionPublicKey } from './publicKey.js'
import { isSigningKey, type SigningKey, TOKEN_ALGORITHM } from './signingKey.js'

/** The longest lifetime a token may be given: 30 days. */
export const MAX_TOKEN_LIFETIME_S = 30 * 24 * 3600
/** The lifetime of a token when none is given: one hour. */
export const DEFAULT_TOKEN_LIFETIME_S = 3600

/** What a token says about its holder. Core checks every claim against the hello that carries it. */
export interface TokenClaims {
  /** The one meeting the token is good for (the JWT's `aud`). Required. */
  meetingId: string
  /** The participant id the holder must join with (the JWT's `sub`). Required. */
  participantId: string
  /** The role core gives the holder, whatever the holder says (the `role` claim). Required. */
  role: ParticipantRole
  /**
   * How long the token is valid: seconds (1 to 30 days' worth), or a span such as `'2h'`. It must
   * outlast the holder's stay: whoever links up with the holder later (a newcomer, or after a
   * reconnect) checks it then. Defaults to `3600` (one hour).
   */
  expiresIn?: number | string
  /**
   * The holder's session public key (an EC P-256 public JWK: `kty`, `crv`, `x`, `y`; never `d`). The
   * token then carries it as `cnf: { jwk }` (RFC 7800) and is worth something only together with the
   * matching private key: core checks that every hello is signed with it, and `@convene/server`'s
   * PeerServer that every signalling connection is. Defaults to none: a bearer token, which whoever
   * holds it can use, so core refuses it unless the verifying meeting sets `allowBearerTokens`.
   */
  publicKey?: SessionPublicKey
}

const SPAN =
  /^\s*(\d+(?:\.\d+)?)\s*(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks)\s*$/i
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }

/** The token's lifetime in whole seconds, or `MeetingError('INVALID_OPTION')`. */
export function lifetimeSeconds(expiresIn: unknown, option = 'expiresIn'): number {
  if (expiresIn === undefined) return DEFAULT_TOKEN_LIFETIME_S
  let seconds: number
  if (typeof expiresIn === 'number') seconds = expiresIn
  else if (typeof expiresIn === 'string' && SPAN.test(expiresIn)) {
    const [, amount, unit] = SPAN.exec(expiresIn) as unknown as [string, string, string]
    seconds = Number(amount) * (UNIT_SECONDS[unit[0]!.toLowerCase()] ?? Number.NaN)
  } else seconds = Number.NaN
  if (!Number.isFinite(seconds) || seconds < 1 || seconds > MAX_TOKEN_LIFETIME_S) {
    throw MeetingError.invalidOption(
      option,
      `must be 1-${MAX_TOKEN_LIFETIME_S} seconds, or a span such as "2h" (at most 30 days)`,
    )
  }
  return Math.floor(seconds)
}

function checkId(value: unknown, option: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
    throw MeetingError.invalidOption(option, `must be a string of 1-${MAX_ID_LENGTH} characters`)
  }
  return value
}

/** Checks claims as `createToken` does; throws `MeetingError('INVALID_OPTION')` naming the bad one. */
export function checkClaims(
  claims: unknown,
): Required<Omit<TokenClaims, 'expiresIn' | 'publicKey'>> & { lifetime: number } {
  if (typeof claims !== 'object' || claims === null)
    throw MeetingError.invalidOption('claims', 'must be an object')
  const c = claims as Partial<TokenClaims>
  const meetingId = checkId(c.meetingId, 'meetingId')
  const participantId = checkId(c.participantId, 'participantId')
  if (c.role !== 'host' && c.role !== 'participant') {
    throw MeetingError.invalidOption('role', 'must be "host" or "participant"')
  }
  return { meetingId, participantId, role: c.role, lifetime: lifetimeSeconds(c.expiresIn) }
}

/**
 * Signs a participant token (a JWT, ES256) that core's `auth` verifies: `aud` = meeting id, `sub` =
 * participant id, `role`, `iat`, `exp`, `cnf.jwk` when `publicKey` is given, and the key's `kid` in the
 * header. Call it only for someone the app has decided may join with that role.
 *
 * Without `publicKey` the token is a bearer token: whoever holds it (any peer that saw it in a hello)
 * is that participant. Core refuses bearer tokens unless the verifier sets `allowBearerTokens`, and
 * `@convene/server`'s PeerServer refuses them for signalling.
 *
 * Rejects with `MeetingError('INVALID_OPTION')` for a bad claim or key, naming it in `details.option`
 * (`'publicKey'` for a key that is not a public EC P-256 JWK).
 */
export async function createToken(claims: TokenClaims, signingKey: SigningKey): Promise<string> {
  const { meetingId, participantId, role, lifetime } = checkClaims(claims)
  const publicKey = claims.publicKey === undefined ? undefined : await checkSessionPublicKey(claims.publicKey)
  if (!isSigningKey(signingKey)) {
    throw MeetingError.invalidOption(
      'signingKey',
      'must come from generateSigningKey() or importSigningKey()',
    )
  }
  const now = Math.floor(Date.now() / 1000)
  // checkSessionPublicKey keeps only kty, crv, x, y: nothing else of what the caller sent is signed.
  return new SignJWT(publicKey ? { role, cnf: { jwk: publicKey } } : { role })
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: 'JWT', kid: signingKey.kid })
    .setAudience(meetingId)
    .setSubject(participantId)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetime)
    .sign(signingKey.privateKey)
}
