import type { IncomingHttpHeaders } from 'node:http'
import {
  DIRECTORY_PROOF_HEADER,
  directoryPayload,
  parseDirectoryProof,
  parsePeerId,
} from '@convene/core/wire'
import type { JWK } from 'jose'
import {
  type BoundProofRefused,
  type BoundProofVerifierOptions,
  createBoundProofVerifier,
} from '../proof/verifyBoundProof.js'

/** Why a request was refused: the HTTP status and the JSON error body. */
export type Refusal = Pick<BoundProofRefused, 'status' | 'code' | 'error'>

/** The window, ledger and clock (see {@link BoundProofVerifierOptions}); a new ledger by default. */
export type DirectoryCheckOptions = Omit<BoundProofVerifierOptions, 'keys'>

const PROOF_HEADER = DIRECTORY_PROOF_HEADER.toLowerCase()

/**
 * Checks a room directory request: `Authorization: Bearer <token>`, the server's own token for
 * `meetingId`, through the bound-proof pipeline. A token bound to a session key (`cnf.jwk`) is worth
 * something only with that key, here as everywhere: the request must also carry `Convene-Proof:
 * <peerId>~<ts>~<sig>` (the directory proof of `@convene/core/wire`) for a peer id of the token's
 * meeting and participant, signed over `directoryPayload(meetingId, peerId, ts)`. A bearer token (no
 * `cnf`) stands alone, as it does for whoever verifies it. Resolves `null` when the request holds,
 * else why not: 401 for a missing or invalid token or proof, 403 for a valid token for another
 * meeting, 503 when too many proofs are live to remember another.
 */
export function createDirectoryCheck(keys: readonly JWK[], options: DirectoryCheckOptions = {}) {
  const verify = createBoundProofVerifier({ keys, ...options })
  return async (headers: IncomingHttpHeaders, meetingId: string): Promise<Refusal | null> => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')
    if (!match) {
      return {
        status: 401,
        code: 'UNAUTHORIZED',
        error: 'an `Authorization: Bearer <token>` header is required',
      }
    }
    const header = headers[PROOF_HEADER]
    const proof = header === undefined ? null : parseDirectoryProof([header].flat().join(','))
    const result = await verify({
      token: match[1]!,
      meetingId,
      allowBearer: true,
      proof:
        header === undefined
          ? {
              missing: `the token is bound to a session key: a \`${DIRECTORY_PROOF_HEADER}: <peerId>~<ts>~<signature>\` header is required`,
            }
          : proof === null
            ? { missing: 'the proof must be <peerId>~<ts>~<signature>' }
            : {
                ...proof,
                payload: directoryPayload(meetingId, proof.peerId, proof.ts),
                holder: parsePeerId(proof.peerId),
              },
    })
    return result.ok ? null : { status: result.status, code: result.code, error: result.error }
  }
}
