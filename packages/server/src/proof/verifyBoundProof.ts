import type { ParticipantRole } from '@convene/core'
import {
  CLOCK_TOLERANCE_S,
  type ConvenePeerId,
  PROOF_WINDOW_MS,
  readSessionPublicKey,
  type SessionPublicKey,
} from '@convene/core/wire'
import { createLocalJWKSet, errors, type JWK, type JWTPayload, jwtVerify } from 'jose'
import { TOKEN_ALGORITHM } from '../auth/signingKey.js'
import { type ClaimResult, createProofLedger } from './proofLedger.js'
import { signatureHolds } from './signatureHolds.js'

/** A proof of possession as a request presented it, parsed but not yet verified. */
export interface PresentedProof {
  /**
   * What the token's key must have signed: one of `@convene/core/wire`'s payload builders applied to
   * the request's own parts (never to anything the proof says about itself alone). It is also what the
   * ledger remembers, so it must hold `ts` and every part a replay could change.
   */
  readonly payload: string
  /** When the proof was made (ms since the epoch): within the window of now, or it is stale. */
  readonly ts: number
  /** base64url of the raw P-256 signature of `payload`. */
  readonly signature: string
  /**
   * The session the proof speaks for, when it names one itself (a directory proof's peer id, decoded;
   * `null` for an id that does not decode): it must be the token's meeting and participant.
   */
  readonly holder?: ConvenePeerId | null
}

/** A request carrying a token and a proof that the caller holds the key the token is bound to. */
export interface BoundProofRequest {
  /** The JWT as presented. */
  readonly token: string
  /** The meeting the token must be for (its `aud`). */
  readonly meetingId: string
  /** The participant the token must be for (its `sub`), when the request names one before the token is read. */
  readonly participantId?: string
  /**
   * The proof, or why the request has none to check (missing, malformed): refused with that reason
   * when the token is bound to a key.
   */
  readonly proof: PresentedProof | { readonly missing: string }
  /**
   * Whether a token bound to no key (no `cnf`) is accepted on its own, as whoever else verifies it
   * accepts it. Defaults to `false`: unbound tokens are refused.
   */
  readonly allowBearer?: boolean
}

/** The request holds: who the token names, and the key it is bound to. */
export interface BoundProofAccepted {
  readonly ok: true
  /** The token's `sub`. */
  readonly participantId: string
  /** The token's `role` claim; `null` when it has none that core would accept. */
  readonly role: ParticipantRole | null
  /** The key the token is bound to (`cnf.jwk`), whose proof held; `null` for an accepted bearer token. */
  readonly key: SessionPublicKey | null
  /** The token's `exp`, in ms since the epoch. */
  readonly expiresAt: number
}

/**
 * Why a request was refused, as an HTTP answer: `UNAUTHORIZED` (401) the token, `FORBIDDEN` (403) a
 * valid token for another meeting or participant, `INVALID_PROOF` (401) the proof of possession
 * (missing, malformed, stale, used, forged), `BUSY` (503) too many recent proofs to remember another.
 */
export interface BoundProofRefused {
  readonly ok: false
  readonly status: 401 | 403 | 503
  readonly code: 'UNAUTHORIZED' | 'FORBIDDEN' | 'INVALID_PROOF' | 'BUSY'
  /** For people (a log, the answer's `error`): never a token, a stack or a path. */
  readonly error: string
}

export type BoundProofResult = BoundProofAccepted | BoundProofRefused

export interface BoundProofVerifierOptions {
  /** The public keys tokens are signed with (the server's own). */
  keys: readonly JWK[]
  /** How far a proof's `ts` may be from now, either way. Defaults to `PROOF_WINDOW_MS` (two minutes). */
  windowMs?: number
  /**
   * Accepted proofs, each good once: a `ProofLedger`, or any store with the same `claim` (a cluster's
   * shared one answers asynchronously). Defaults to a new ledger over the same window and clock. Give
   * each caller a ledger of its own, so that filling one does not refuse the others.
   */
  ledger?: { claim(key: string, ts: number): ClaimResult | Promise<ClaimResult> }
  /** The clock. Defaults to `Date.now`. */
  now?: () => number
}

const refused = (
  status: 401 | 403 | 503,
  code: BoundProofRefused['code'],
  error: string,
): BoundProofRefused => ({
  ok: false,
  status,
  code,
  error,
})
const unauthorized = (error: string) => refused(401, 'UNAUTHORIZED', error)
const invalidProof = (error: string) => refused(401, 'INVALID_PROOF', error)

/**
 * The server's one check of a token bound to a key (RFC 7800 `cnf.jwk`) together with a proof that the
 * caller holds that key, in this order: the token is the server's own (signature, `exp` with
 * `CLOCK_TOLERANCE_S` of leeway) for the meeting and participant asked; it is bound to a key (or a
 * bearer token is allowed); the proof speaks for the token's own meeting and participant; its `ts` is
 * within the window; the key signed the payload; and this very proof was never accepted before (the
 * ledger remembers what was signed, never the signature, whose (r, n − s) twin also verifies, and only
 * once the signature holds, so nobody can spend an owner's proof ahead of them with garbage).
 *
 * Every door that admits a session by token and proof (the signalling socket, the room directory, a
 * relay's sessions) calls this, each with its own payload. It never throws for bad input.
 */
export function createBoundProofVerifier(options: BoundProofVerifierOptions) {
  const keySet = createLocalJWKSet({ keys: [...options.keys] })
  const now = options.now ?? Date.now
  const windowMs = options.windowMs ?? PROOF_WINDOW_MS
  const ledger = options.ledger ?? createProofLedger({ windowMs, now })

  async function verifyToken(
    request: BoundProofRequest,
  ): Promise<{ claims: JWTPayload; refusal?: never } | { refusal: BoundProofRefused }> {
    try {
      const { payload } = await jwtVerify(request.token, keySet, {
        algorithms: [TOKEN_ALGORITHM],
        audience: request.meetingId,
        ...(request.participantId === undefined ? {} : { subject: request.participantId }),
        requiredClaims: ['exp', 'sub'],
        clockTolerance: CLOCK_TOLERANCE_S,
      })
      return { claims: payload }
    } catch (error) {
      if (error instanceof errors.JWTExpired) return { refusal: unauthorized('the token has expired') }
      if (
        error instanceof errors.JWTClaimValidationFailed &&
        (error.claim === 'aud' || error.claim === 'sub')
      ) {
        const error =
          request.participantId === undefined
            ? 'the token is for another meeting'
            : 'the token is for another meeting or participant than the id'
        return { refusal: refused(403, 'FORBIDDEN', error) }
      }
      return { refusal: unauthorized('the token is not valid') }
    }
  }

  return async function verifyBoundProof(request: BoundProofRequest): Promise<BoundProofResult> {
    const verified = await verifyToken(request)
    if (verified.refusal) return verified.refusal
    const { claims } = verified
    const participantId = claims.sub as string
    const accepted = (key: SessionPublicKey | null): BoundProofAccepted => ({
      ok: true,
      participantId,
      role: claims.role === 'host' || claims.role === 'participant' ? claims.role : null,
      key,
      expiresAt: (claims.exp as number) * 1000,
    })
    const cnf = claims.cnf as { jwk?: unknown } | undefined
    if (cnf === undefined) {
      return request.allowBearer === true
        ? accepted(null)
        : unauthorized('the token is not bound to a session key (cnf.jwk)')
    }
    const key = readSessionPublicKey(cnf?.jwk)
    if (typeof key === 'string') return unauthorized('the token is not valid')
    const { proof } = request
    if ('missing' in proof) return invalidProof(proof.missing)
    if (
      proof.holder !== undefined &&
      (proof.holder?.meetingId !== request.meetingId || proof.holder.participantId !== participantId)
    ) {
      return invalidProof("the proof's peer id is not the token's meeting and participant")
    }
    if (Math.abs(now() - proof.ts) > windowMs) return invalidProof('the proof is stale')
    if (!(await signatureHolds(key as JWK, proof.payload, proof.signature))) {
      return invalidProof('the signature does not hold')
    }
    const claimed = await ledger.claim(proof.payload, proof.ts)
    if (claimed === 'used') return invalidProof('the proof was already used')
    if (claimed === 'full') return refused(503, 'BUSY', 'too many recent proofs; try again')
    return accepted(key)
  }
}

/** Checks one request: see {@link createBoundProofVerifier}. */
export type VerifyBoundProof = ReturnType<typeof createBoundProofVerifier>
