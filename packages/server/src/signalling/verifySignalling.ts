import { createLocalJWKSet, errors, type JWK, jwtVerify } from 'jose'
import { readSessionPublicKey } from '../auth/publicKey.js'
import { TOKEN_ALGORITHM } from '../auth/signingKey.js'
import { parsePeerId } from '../peerId.js'
import { createProofLedger, type ProofLedger } from '../proof/proofLedger.js'
import { signatureHolds } from '../proof/signatureHolds.js'
import { parseSignallingToken, SIGNALLING_MAX_SKEW_MS, signallingPayload } from './payload.js'

/** Same leeway as core's verifier, so a token core accepts is never refused here for clock skew. */
const CLOCK_TOLERANCE_S = 5

/** A connection that may register: the URL to hand PeerServer, its `token` reduced to the secret. */
export interface SignallingAccepted {
  ok: true
  url: string
}

/** A connection refused before PeerServer sees it, and why (sent as the 401's body). */
export interface SignallingRefused {
  ok: false
  /** 401, or 503 when too many proofs are live to remember another. */
  status: 401 | 503
  reason: string
}

const refuse = (reason: string): SignallingRefused => ({ ok: false, status: 401, reason })

export interface SignallingCheckOptions {
  /** The clock. Defaults to `Date.now`. */
  now?: () => number
  /** Accepted proofs, each good once. Defaults to a new ledger over the same clock and window. */
  ledger?: ProofLedger
}

/**
 * Checks a PeerServer WebSocket request URL (`...?key=&id=&token=<secret>~<jwt>~<ts>~<sig>`): the id
 * is a Convene peer id, the JWT is ours (signature, not expired) for that id's meeting (`aud`) and
 * participant (`sub`) and bound to a key (`cnf.jwk`), that key signed `signallingPayload(id, ts,
 * secret)`, `ts` is within two minutes of now, and this very proof was never accepted before. Someone
 * who replays another participant's token without its key therefore cannot take that participant's
 * peer id, not even while they are away; and someone who replays a whole connection URL (from a proxy
 * log, say) is refused too, instead of taking the live socket of its owner over.
 */
export function createSignallingCheck(keys: readonly JWK[], options: SignallingCheckOptions = {}) {
  const keySet = createLocalJWKSet({ keys: [...keys] })
  const now = options.now ?? Date.now
  const ledger = options.ledger ?? createProofLedger({ windowMs: SIGNALLING_MAX_SKEW_MS, now })
  return async (requestUrl: string): Promise<SignallingAccepted | SignallingRefused> => {
    const url = new URL(requestUrl, 'http://peerserver.invalid')
    const peerId = url.searchParams.get('id') ?? ''
    const identity = parsePeerId(peerId)
    if (!identity) return refuse('the id is not a Convene peer id')
    const proof = parseSignallingToken(url.searchParams.get('token') ?? '')
    if (!proof) return refuse('the token must be <secret>~<jwt>~<ts>~<signature>')
    if (Math.abs(now() - proof.ts) > SIGNALLING_MAX_SKEW_MS) return refuse('the timestamp is stale')
    let cnf: unknown
    try {
      const { payload } = await jwtVerify(proof.jwt, keySet, {
        algorithms: [TOKEN_ALGORITHM],
        audience: identity.meetingId,
        subject: identity.participantId,
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_TOLERANCE_S,
      })
      cnf = (payload.cnf as { jwk?: unknown } | undefined)?.jwk
    } catch (error) {
      if (error instanceof errors.JWTExpired) return refuse('the token has expired')
      if (
        error instanceof errors.JWTClaimValidationFailed &&
        (error.claim === 'aud' || error.claim === 'sub')
      ) {
        return refuse('the token is for another meeting or participant than the id')
      }
      return refuse('the token is not valid')
    }
    const jwk = readSessionPublicKey(cnf)
    if (typeof jwk === 'string') return refuse('the token is not bound to a session key (cnf.jwk)')
    const payload = signallingPayload(peerId, proof.ts, proof.secret)
    if (!(await signatureHolds(jwk as JWK, payload, proof.signature))) {
      return refuse('the signature does not hold')
    }
    // Keyed on what was signed, not on the signature (which has a second valid form); claimed only
    // once the signature holds, so nobody can spend an owner's proof ahead of them with garbage.
    const claimed = ledger.claim(payload, proof.ts)
    if (claimed === 'used') return refuse('the proof was already used')
    if (claimed === 'full') return { ok: false, status: 503, reason: 'too many recent proofs; try again' }
    // PeerServer compares this value when an id reconnects: the secret stays the same across token
    // refreshes and new proofs, and it never reaches any peer.
    url.searchParams.set('token', proof.secret)
    return { ok: true, url: `${url.pathname}${url.search}` }
  }
}
