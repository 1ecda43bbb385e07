import type { IncomingHttpHeaders } from 'node:http'
import { createLocalJWKSet, errors, type JWK, jwtVerify } from 'jose'
import { TOKEN_ALGORITHM } from './signingKey.js'

/** Why a request was refused: the HTTP status and the JSON error body. */
export interface Refusal {
  status: 401 | 403
  code: 'UNAUTHORIZED' | 'FORBIDDEN'
  error: string
}

/** Same leeway as core's verifier, so a token core accepts is never refused here for clock skew. */
const CLOCK_TOLERANCE_S = 5

/**
 * Checks `Authorization: Bearer <token>` against the server's own public keys: signature, expiry, and
 * that the token is for `meetingId`. Resolves `null` when it holds, else why not: 401 for a missing or
 * invalid token, 403 for a valid token for another meeting.
 */
export function createBearerCheck(keys: readonly JWK[]) {
  const keySet = createLocalJWKSet({ keys: [...keys] })
  return async (headers: IncomingHttpHeaders, meetingId: string): Promise<Refusal | null> => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')
    if (!match) {
      return {
        status: 401,
        code: 'UNAUTHORIZED',
        error: 'an `Authorization: Bearer <token>` header is required',
      }
    }
    try {
      await jwtVerify(match[1]!, keySet, {
        algorithms: [TOKEN_ALGORITHM],
        audience: meetingId,
        clockTolerance: CLOCK_TOLERANCE_S,
      })
      return null
    } catch (error) {
      if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'aud') {
        return { status: 403, code: 'FORBIDDEN', error: 'the token is for another meeting' }
      }
      const reason = error instanceof errors.JWTExpired ? 'the token has expired' : 'the token is not valid'
      return { status: 401, code: 'UNAUTHORIZED', error: reason }
    }
  }
}
