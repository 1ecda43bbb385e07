import { MeetingError } from '../MeetingError.js'
import type { ParticipantRole, TokenProvider } from '../types.js'
import { MAX_TOKEN_LENGTH } from '../wire/limits.js'
import { createSessionKey, type SessionKey, sameKey } from './sessionKey.js'
import type { VerifiedIdentity } from './verifyHelloToken.js'
import { fromBase64Url } from './webCrypto.js'

/**
 * A token this close to expiry (or past half its life, for short-lived ones) is fetched again before
 * it is shown to anyone, so whoever checks it next never finds it expired.
 */
export const REFRESH_MARGIN_MS = 60_000
/** The longest token a peer's hello may carry (see `parseWireMessage`). */
export { MAX_TOKEN_LENGTH }

/** One session's credentials: its key (with a token function) and its current token. */
export interface SessionCredentials {
  /** The session's key pair; `null` for a bearer token given as a string. */
  readonly key: SessionKey | null
  /** The token as of now. */
  readonly token: string
  /** A token not yet due for refresh (see `REFRESH_MARGIN_MS`), from the token function when it must be. */
  fresh(): Promise<string>
}

interface Identity {
  meetingId: string
  participantId: string
  role: ParticipantRole
}

/** Verifies one of our own tokens; absent without `auth` (nothing to verify with). */
type CheckOwn = (token: string) => Promise<VerifiedIdentity>

function tokenOf(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TOKEN_LENGTH) {
    throw MeetingError.invalidOption(
      'token',
      `the token function must return a string of 1-${MAX_TOKEN_LENGTH} characters`,
    )
  }
  return value
}

/** The `exp` of a JWT in ms, read without verifying (only to know when to fetch a new one). */
export function readExpiry(token: string): number | null {
  const bytes = fromBase64Url(token.split('.')[1] ?? '')
  if (bytes === null) return null
  try {
    const exp = JSON.parse(new TextDecoder().decode(bytes))?.exp
    return typeof exp === 'number' ? exp * 1000 : null
  } catch {
    return null
  }
}

/** A bearer token given as a string, used as it is (without `auth` there is nothing to check it with). */
export function bearerCredentials(token: string): SessionCredentials {
  return { key: null, token, fresh: () => Promise.resolve(token) }
}

/**
 * Gets a session's credentials at `join()`: a new key pair and a token bound to it (or the bearer
 * string given). With `auth`, our own token is checked first as peers will check it: a backend that
 * issues the wrong role, or forgets the key binding, fails here with `AUTH_FAILED`, not in silence later.
 */
export async function obtainCredentials(
  source: string | TokenProvider,
  identity: Identity,
  checkOwn: CheckOwn | undefined,
  now: () => number = Date.now,
  /** This session's key pair; a meeting makes it ahead of the join (`keysAhead`). */
  sessionKey: () => Promise<SessionKey> = createSessionKey,
): Promise<SessionCredentials> {
  const key = typeof source === 'function' ? await sessionKey() : null
  const fetchToken = async (): Promise<{ token: string; expiresAt: number | null; refreshAt: number }> => {
    const fetched = await fetchChecked()
    const { expiresAt } = fetched
    const refreshAt =
      expiresAt === null
        ? Number.POSITIVE_INFINITY
        : expiresAt - Math.min(REFRESH_MARGIN_MS, Math.max(0, expiresAt - now()) / 2)
    return { ...fetched, refreshAt }
  }
  const fetchChecked = async (): Promise<{ token: string; expiresAt: number | null }> => {
    const token =
      typeof source === 'function'
        ? tokenOf(await source({ ...identity, publicKey: key!.publicJwk }))
        : source
    if (!checkOwn) return { token, expiresAt: readExpiry(token) }
    const verified = await checkOwn(token)
    const refuse = (why: string) => new MeetingError('AUTH_FAILED', `join() refused: ${why}.`)
    if (verified.role !== identity.role)
      throw refuse(`the token grants role "${verified.role}", not "${identity.role}"`)
    if (key && (verified.confirmationKey === null || !sameKey(verified.confirmationKey, key.publicJwk)))
      throw refuse(
        "the token is not bound to this session's key: put the request's `publicKey` in its `cnf.jwk`",
      )
    return { token, expiresAt: verified.expiresAt }
  }
  let current = await fetchToken()
  let refreshing: Promise<string> | null = null
  return {
    key,
    get token() {
      return current.token
    },
    fresh() {
      const { expiresAt, refreshAt } = current
      if (typeof source !== 'function' || expiresAt === null || now() < refreshAt)
        return Promise.resolve(current.token)
      refreshing ??= fetchToken().then(
        (next) => {
          current = next
          refreshing = null
          return next.token
        },
        (error: unknown) => {
          refreshing = null
          // Until it expires, the old token still opens doors: a backend hiccup must not end the meeting.
          if (expiresAt > now()) return current.token
          throw error
        },
      )
      return refreshing
    },
  }
}
