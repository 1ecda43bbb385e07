import type { JWK, jwtVerify } from 'jose'
import { MeetingError } from '../MeetingError.js'
import type { HelloMessage } from '../protocol.js'
import type { MeetingAuth, ParticipantRole } from '../types.js'
import { CLOCK_TOLERANCE_S } from '../wire/limits.js'
import { type PublicJwk, readPublicJwk } from './sessionKey.js'

/** What a verified token establishes about a peer: who it is, and its role (never the peer's say-so). */
export interface VerifiedIdentity {
  participantId: string
  role: ParticipantRole
  /** The key the token is bound to (`cnf.jwk`): only its holder may use the token. `null` for a bearer token. */
  confirmationKey: PublicJwk | null
  /** The token's `exp`, in ms since the epoch, when it has one. */
  expiresAt: number | null
}

export type HelloVerifier = ((
  hello: Pick<HelloMessage, 'token' | 'meetingId' | 'participant'>,
) => Promise<VerifiedIdentity>) & {
  /** Gets the keys that check tokens now (a remote JWKS: fetched), so the first check does not wait. */
  prepare?(): void
}

type KeyInput = Parameters<typeof jwtVerify>[1]

// Loaded on first use: apps without `auth` never run (and, when their bundler splits, never download) it.
type Jose = typeof import('./jose.js')
let jose: Promise<Jose> | null = null
const loadJose = () => {
  jose ??= import('./jose.js')
  return jose
}

async function resolveKey(auth: MeetingAuth): Promise<KeyInput> {
  const { createLocalJWKSet, createRemoteJWKSet, importJWK, importSPKI } = await loadJose()
  if ('jwks' in auth) {
    if (typeof auth.jwks !== 'string')
      return createLocalJWKSet(auth.jwks as unknown as Parameters<typeof createLocalJWKSet>[0])
    const remote = createRemoteJWKSet(new URL(auth.jwks))
    // Fetched now rather than by the first check; a failure here is retried by that check.
    remote.reload().catch(() => {})
    return remote
  }
  return typeof auth.publicKey === 'string'
    ? importSPKI(auth.publicKey, 'ES256')
    : importJWK(auth.publicKey as JWK, 'ES256')
}

const refuse = (why: string, participantId?: string) =>
  new MeetingError(
    'AUTH_FAILED',
    `Refused a participant: ${why}.`,
    participantId ? { details: { participantId } } : {},
  )

/**
 * Checks a peer's token: ES256 signature by the app's backend, audience = this meeting, subject = the
 * participant id the peer claims, not expired, a role claim, and the key it is bound to (`cnf.jwk`;
 * a bearer token only with `allowBearerTokens`). Rejects with `AUTH_FAILED`. The hello's proof by that
 * key is checked by the caller, which knows the link.
 */
export function createHelloVerifier(auth: MeetingAuth, meetingId: string): HelloVerifier {
  let key: Promise<KeyInput> | null = null
  // The join needs it to check its own token: loading starts now, alongside the key and the token.
  loadJose().catch(() => {})
  const resolved = () => {
    if (key === null) {
      key = resolveKey(auth)
      // Reported by the checks that await it, not as an unhandled rejection of `prepare`.
      key.catch(() => {})
    }
    return key
  }
  const verifier = async (hello: Parameters<HelloVerifier>[0]): Promise<VerifiedIdentity> => {
    const claimed = hello.participant.id
    if (hello.token === undefined) throw refuse('no token in its hello', claimed)
    if (hello.meetingId !== meetingId)
      throw refuse(`hello for another meeting ("${hello.meetingId}")`, claimed)
    const keyInput = resolved()
    let payload: Record<string, unknown>
    try {
      const { jwtVerify } = await loadJose()
      ;({ payload } = await jwtVerify(hello.token, (await keyInput) as never, {
        algorithms: ['ES256'],
        audience: meetingId,
        subject: claimed,
        clockTolerance: CLOCK_TOLERANCE_S,
      }))
    } catch (error) {
      const reason = (error as { code?: string }).code ?? 'ERR_JWT_INVALID'
      throw new MeetingError(
        'AUTH_FAILED',
        `Refused "${claimed.slice(0, 64)}": token rejected (${reason}).`,
        {
          cause: error,
          details: { participantId: claimed },
        },
      )
    }
    const role = payload.role
    if (role !== 'host' && role !== 'participant') throw refuse('token has no valid role claim', claimed)
    const cnf = payload.cnf as { jwk?: unknown } | undefined
    const confirmationKey = cnf === undefined ? null : readPublicJwk(cnf?.jwk)
    if (cnf !== undefined && confirmationKey === null)
      throw refuse('token has a `cnf` claim without an EC P-256 public `jwk`', claimed)
    if (confirmationKey === null && auth.allowBearerTokens !== true) {
      throw refuse(
        "bearer token (no `cnf.jwk` key binding): anyone who saw it could use it. Issue tokens with the session's `publicKey`, or set `auth.allowBearerTokens`",
        claimed,
      )
    }
    const expiresAt = typeof payload.exp === 'number' ? payload.exp * 1000 : null
    return { participantId: claimed, role, confirmationKey, expiresAt }
  }
  // A join calls it as it starts, so the JWKS comes alongside the key pair and the token, not after.
  return Object.assign(verifier, { prepare: () => void resolved() })
}
