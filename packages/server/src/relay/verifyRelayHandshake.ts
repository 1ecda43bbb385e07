import { type ConvenePeerId, parsePeerId } from '@convene/core/wire'
import { createLocalJWKSet, errors, type JWK, jwtVerify } from 'jose'
import { readSessionPublicKey } from '../auth/publicKey.js'
import { TOKEN_ALGORITHM } from '../auth/signingKey.js'
import type { ClaimResult } from '../proof/proofLedger.js'
import { signatureHolds } from '../proof/signatureHolds.js'
import { type RelayError, relayPayload } from './relayProtocol.js'

/** Same leeway as core's verifier, so a token core accepts is never refused here for clock skew. */
const CLOCK_TOLERANCE_S = 5
/** How far a relay proof's `ts` may be from the server's clock, either way: two minutes, as for signalling. */
export const RELAY_MAX_SKEW_MS = 120_000

const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/
const TIMESTAMP = /^[1-9][0-9]{0,14}$/
const SIGNATURE = /^[A-Za-z0-9_-]{86}$/

/** Records the first use of a proof; shared by every node of a cluster (see `createProofClaims`). */
export type ClaimProof = (key: string, ts: number) => Promise<ClaimResult>

export type RelayHandshake =
  | { ok: true; identity: ConvenePeerId; address: string }
  | { ok: false; refusal: RelayError }

const refuse = (code: RelayError['code'], error: string): RelayHandshake => ({
  ok: false,
  refusal: { code, error },
})

/**
 * Checks a relay handshake's `auth`: `address` is a Convene peer id and, when `keys` is given (the
 * server has `auth`), `proof` is `<jwt>~<ts>~<sig>` where the JWT is ours (signature, expiry) for the
 * address's meeting (`aud`) and participant (`sub`), bound to a key (`cnf.jwk`) that signed
 * `relayPayload(address, ts)`, `ts` is within two minutes of now, and the proof was never used before
 * (on any node). Only the holder of the token's key can therefore register under an address.
 */
export function createRelayHandshakeCheck(
  keys: readonly JWK[] | null,
  claim: ClaimProof,
  now: () => number = Date.now,
): (auth: unknown) => Promise<RelayHandshake> {
  const keySet = keys ? createLocalJWKSet({ keys: [...keys] }) : null
  return async (auth) => {
    const { address, proof } = (typeof auth === 'object' && auth !== null ? auth : {}) as Record<
      string,
      unknown
    >
    const identity = typeof address === 'string' ? parsePeerId(address) : null
    if (!identity) return refuse('INVALID_ADDRESS', '`auth.address` must be a Convene peer id')
    const ok: RelayHandshake = { ok: true, identity, address: address as string }
    if (!keySet) return ok
    if (typeof proof !== 'string') {
      return refuse(
        'UNAUTHORIZED',
        'this server requires tokens: `auth.proof` must be <jwt>~<ts>~<signature>',
      )
    }
    const [jwt = '', ts = '', signature = '', ...rest] = proof.split('~')
    if (rest.length > 0 || !JWT.test(jwt) || !TIMESTAMP.test(ts) || !SIGNATURE.test(signature)) {
      return refuse('INVALID_PROOF', '`auth.proof` must be <jwt>~<ts>~<signature>')
    }
    if (Math.abs(now() - Number(ts)) > RELAY_MAX_SKEW_MS) return refuse('INVALID_PROOF', 'the proof is stale')
    let cnf: unknown
    try {
      const { payload } = await jwtVerify(jwt, keySet, {
        algorithms: [TOKEN_ALGORITHM],
        audience: identity.meetingId,
        subject: identity.participantId,
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_TOLERANCE_S,
      })
      cnf = (payload.cnf as { jwk?: unknown } | undefined)?.jwk
    } catch (error) {
      if (error instanceof errors.JWTExpired) return refuse('UNAUTHORIZED', 'the token has expired')
      if (
        error instanceof errors.JWTClaimValidationFailed &&
        (error.claim === 'aud' || error.claim === 'sub')
      ) {
        return refuse('UNAUTHORIZED', 'the token is for another meeting or participant than the address')
      }
      return refuse('UNAUTHORIZED', 'the token is not valid')
    }
    const jwk = readSessionPublicKey(cnf)
    if (typeof jwk === 'string')
      return refuse('UNAUTHORIZED', 'the token is not bound to a session key (cnf.jwk)')
    const payload = relayPayload(ok.address, Number(ts))
    if (!(await signatureHolds(jwk as JWK, payload, signature))) {
      return refuse('INVALID_PROOF', 'the signature does not hold')
    }
    // Keyed on what was signed, never on the signature (ECDSA signatures have a second valid form).
    const claimed = await claim(payload, Number(ts))
    if (claimed === 'used') return refuse('INVALID_PROOF', 'the proof was already used')
    if (claimed === 'full') return refuse('BUSY', 'too many recent proofs; try again')
    return ok
  }
}
