import type { ParticipantRole } from '@convene/core'
import { parsePeerId, parseSignallingToken, SIGNALLING_QUERY, signallingPayload } from '@convene/core/wire'
import type { JWK } from 'jose'
import { type BoundProofVerifierOptions, createBoundProofVerifier } from '../proof/verifyBoundProof.js'

/** A connection that may register: the URL to hand PeerServer, its `token` reduced to the secret. */
export interface SignallingAccepted {
  ok: true
  url: string
  /** The token's role (`null`: none core accepts): whether this socket may end its meeting (`endRelay.ts`). */
  role: ParticipantRole | null
}

/** A connection refused before PeerServer sees it, and why (sent as the 401's body). */
export interface SignallingRefused {
  ok: false
  /** 401, or 503 when too many proofs are live to remember another. */
  status: 401 | 503
  reason: string
}

const refuse = (reason: string): SignallingRefused => ({ ok: false, status: 401, reason })

/** The window, ledger and clock (see {@link BoundProofVerifierOptions}); a new ledger by default. */
export type SignallingCheckOptions = Omit<BoundProofVerifierOptions, 'keys'>

/**
 * Checks a PeerServer WebSocket request URL (`...?key=&id=&token=<secret>~<jwt>~<ts>~<sig>`, the
 * signalling proof of `@convene/core/wire`): the id is a Convene peer id, and the bound-proof pipeline
 * holds for that id's meeting and participant, with the key's signature over `signallingPayload(id,
 * ts, secret)`; bearer tokens are refused. Someone who replays another participant's token without
 * its key therefore cannot take that participant's peer id, not even while they are away; and someone
 * who replays a whole connection URL (from a proxy log, say) is refused too, instead of taking the
 * live socket of its owner over. A socket upgrade can only be refused whole, so every refusal but 503
 * is a 401.
 */
export function createSignallingCheck(keys: readonly JWK[], options: SignallingCheckOptions = {}) {
  const verify = createBoundProofVerifier({ keys, ...options })
  return async (requestUrl: string): Promise<SignallingAccepted | SignallingRefused> => {
    const url = new URL(requestUrl, 'http://peerserver.invalid')
    const peerId = url.searchParams.get(SIGNALLING_QUERY.id) ?? ''
    const identity = parsePeerId(peerId)
    if (!identity) return refuse('the id is not a Convene peer id')
    const proof = parseSignallingToken(url.searchParams.get(SIGNALLING_QUERY.token) ?? '')
    if (!proof) return refuse('the token must be <secret>~<jwt>~<ts>~<signature>')
    const result = await verify({
      token: proof.jwt,
      meetingId: identity.meetingId,
      participantId: identity.participantId,
      proof: { ...proof, payload: signallingPayload(peerId, proof.ts, proof.secret) },
    })
    if (!result.ok) return { ok: false, status: result.status === 503 ? 503 : 401, reason: result.error }
    // PeerServer compares this value when an id reconnects: the secret stays the same across token
    // refreshes and new proofs, and it never reaches any peer.
    url.searchParams.set(SIGNALLING_QUERY.token, proof.secret)
    return { ok: true, url: `${url.pathname}${url.search}`, role: result.role }
  }
}
