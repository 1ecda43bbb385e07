import type { IncomingHttpHeaders } from 'node:http'
import { createLocalJWKSet, errors, type JWK, jwtVerify } from 'jose'
import { parsePeerId } from '../peerId.js'
import { directoryPayload, parseDirectoryProof } from '../proof/directoryProof.js'
import type { ProofLedger } from '../proof/proofLedger.js'
import { signatureHolds } from '../proof/signatureHolds.js'
import { readSessionPublicKey } from './publicKey.js'
import { TOKEN_ALGORITHM } from './signingKey.js'

/** Why a request was refused: the HTTP status and the JSON error body. */
export interface Refusal {
  status: 401 | 403 | 503
  /** `INVALID_PROOF`: the token holds, its proof of possession does not (missing, stale, used, forged). */
  code: 'UNAUTHORIZED' | 'FORBIDDEN' | 'INVALID_PROOF' | 'BUSY'
  error: string
}

/** Same leeway as core's verifier, so a token core accepts is never refused here for clock skew. */
const CLOCK_TOLERANCE_S = 5

const unauthorized = (error: string): Refusal => ({ status: 401, code: 'UNAUTHORIZED', error })
const invalidProof = (error: string): Refusal => ({ status: 401, code: 'INVALID_PROOF', error })

export interface DirectoryCheckOptions {
  /** Accepted proofs, each good once. */
  ledger: ProofLedger
  /** How far a proof's `ts` may be from now. */
  windowMs: number
  /** The clock. Defaults to `Date.now`. */
  now?: () => number
}

/**
 * Checks a room directory request: `Authorization: Bearer <token>`, the server's own token (signature,
 * expiry) for `meetingId`. A token bound to a session key (`cnf.jwk`) is worth something only with
 * that key, here as everywhere: the request must also carry `Convene-Proof: <peerId>~<ts>~<sig>`,
 * where the peer id is one of the token's meeting and participant, the key signed
 * `directoryPayload(meetingId, peerId, ts)`, `ts` is within the window, and the proof was never used
 * before. A bearer token (no `cnf`) stands alone, as it does for whoever verifies it. Resolves `null`
 * when the request holds, else why not: 401 for a missing or invalid token or proof, 403 for a valid
 * token for another meeting, 503 when too many proofs are live to remember another.
 */
export function createDirectoryCheck(keys: readonly JWK[], options: DirectoryCheckOptions) {
  const keySet = createLocalJWKSet({ keys: [...keys] })
  const { ledger, windowMs, now = Date.now } = options
  return async (headers: IncomingHttpHeaders, meetingId: string): Promise<Refusal | null> => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')
    if (!match) return unauthorized('an `Authorization: Bearer <token>` header is required')
    let claims: { sub?: string; cnf?: unknown }
    try {
      ;({ payload: claims } = await jwtVerify(match[1]!, keySet, {
        algorithms: [TOKEN_ALGORITHM],
        audience: meetingId,
        clockTolerance: CLOCK_TOLERANCE_S,
      }))
    } catch (error) {
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
        return { status: 403, code: 'FORBIDDEN', error: 'the token is for another meeting' }
      }
      return unauthorized(
        error instanceof errors.JWTExpired ? 'the token has expired' : 'the token is not valid',
      )
    }
    const cnf = (claims.cnf as { jwk?: unknown } | undefined)?.jwk
    if (cnf === undefined) return null
    const jwk = readSessionPublicKey(cnf)
    if (typeof jwk === 'string') return unauthorized('the token is not valid')
    const header = headers['convene-proof']
    if (header === undefined) {
      return invalidProof(
        'the token is bound to a session key: a `Convene-Proof: <peerId>~<ts>~<signature>` header is required',
      )
    }
    const proof = parseDirectoryProof(Array.isArray(header) ? header.join(',') : header)
    if (!proof) return invalidProof('the proof must be <peerId>~<ts>~<signature>')
    const identity = parsePeerId(proof.peerId)
    if (identity?.meetingId !== meetingId || identity.participantId !== claims.sub) {
      return invalidProof("the proof's peer id is not the token's meeting and participant")
    }
    if (Math.abs(now() - proof.ts) > windowMs) return invalidProof('the proof is stale')
    const payload = directoryPayload(meetingId, proof.peerId, proof.ts)
    if (!(await signatureHolds(jwk as JWK, payload, proof.signature))) {
      return invalidProof('the signature does not hold')
    }
    const claimed = ledger.claim(payload, proof.ts)
    if (claimed === 'used') return invalidProof('the proof was already used')
    if (claimed === 'full') return { status: 503, code: 'BUSY', error: 'too many recent proofs; try again' }
    return null
  }
}
