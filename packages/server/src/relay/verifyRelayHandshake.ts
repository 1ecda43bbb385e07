import type { RelayError } from '@convene/core/wire'
import {
  type ConvenePeerId,
  parsePeerId,
  parseRelayProof,
  RELAY_PROTOCOL_VERSION,
  relayPayload,
} from '@convene/core/wire'
import type { JWK } from 'jose'
import type { ClaimResult } from '../proof/proofLedger.js'
import { createBoundProofVerifier } from '../proof/verifyBoundProof.js'
import { attestMember, type CheckedIdentity, type MemberRecord } from './relayMember.js'

/** Records the first use of a proof; shared by every node of a cluster (see `createProofClaims`). */
export type ClaimProof = (key: string, ts: number) => Promise<ClaimResult>

export type RelayHandshake =
  | { ok: true; identity: ConvenePeerId; address: string; member: MemberRecord }
  | { ok: false; refusal: RelayError }

const refuse = (code: RelayError['code'], error: string): RelayHandshake => ({
  ok: false,
  refusal: { code, error },
})

/** The relay protocol a handshake says it speaks: `auth.protocol`, or 1 (before clients said so). */
export const clientProtocol = (auth: unknown): unknown =>
  typeof auth === 'object' && auth !== null && 'protocol' in auth ? auth.protocol : 1

/**
 * Checks a relay handshake's `auth`: it speaks this relay's protocol (`RELAY_PROTOCOL_VERSION`, checked
 * first, so a client of another version spends no proof), `address` is a Convene peer id and, when `keys` is given (the
 * server has `auth`), `proof` is the relay proof of `@convene/core/wire` (`<jwt>~<ts>~<sig>`), and the
 * bound-proof pipeline holds for the address's meeting and participant, with the key's signature over
 * `relayPayload(address, ts)` and the proof never used before (on any node: `claim` is the cluster's).
 * Only the holder of the token's key can therefore register under an address. The session's record
 * (`attestMember`) takes its role from the token: a handshake claiming another role is refused.
 */
export function createRelayHandshakeCheck(
  keys: readonly JWK[] | null,
  claim: ClaimProof,
  now: () => number = Date.now,
): (auth: unknown) => Promise<RelayHandshake> {
  const verify = keys ? createBoundProofVerifier({ keys, ledger: { claim }, now }) : null
  return async (auth) => {
    const protocol = clientProtocol(auth)
    if (protocol !== RELAY_PROTOCOL_VERSION) {
      const theirs = JSON.stringify(protocol)?.slice(0, 20) ?? 'none'
      return refuse(
        'PROTOCOL_VERSION',
        `this relay speaks relay protocol ${RELAY_PROTOCOL_VERSION}, the client ${theirs}: update @convene/transport-socketio or @convene/server so that both speak the same`,
      )
    }
    const { address, proof } = (typeof auth === 'object' && auth !== null ? auth : {}) as Record<
      string,
      unknown
    >
    const identity = typeof address === 'string' ? parsePeerId(address) : null
    if (!identity) return refuse('INVALID_ADDRESS', '`auth.address` must be a Convene peer id')
    const admit = (who: Omit<CheckedIdentity, 'address'>): RelayHandshake => {
      const member = attestMember(auth, { ...who, address: address as string })
      if ('code' in member) return { ok: false, refusal: member }
      return { ok: true, identity, address: address as string, member }
    }
    if (!verify) return admit({ participantId: identity.participantId, tokenRole: null, verified: false })
    if (typeof proof !== 'string') {
      return refuse(
        'UNAUTHORIZED',
        'this server requires tokens: `auth.proof` must be <jwt>~<ts>~<signature>',
      )
    }
    const parsed = parseRelayProof(proof)
    if (!parsed) return refuse('INVALID_PROOF', '`auth.proof` must be <jwt>~<ts>~<signature>')
    const result = await verify({
      token: parsed.jwt,
      meetingId: identity.meetingId,
      participantId: identity.participantId,
      proof: { ...parsed, payload: relayPayload(address as string, parsed.ts) },
    })
    if (result.ok)
      return admit({ participantId: result.participantId, tokenRole: result.role, verified: true })
    // The relay's codes have no FORBIDDEN: a token for another address is not this socket's to use.
    if (result.code === 'FORBIDDEN') {
      return refuse('UNAUTHORIZED', 'the token is for another meeting or participant than the address')
    }
    return refuse(result.code, result.error)
  }
}
