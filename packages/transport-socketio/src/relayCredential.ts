import { MeetingError, type TransportSessionOptions } from '@convene/core'
import { formatRelayProof, isJwtShaped, relayPayload } from '@convene/core/wire'

/** The handshake a relay socket sends at every connect (Socket.IO calls `auth` again each time). */
export interface RelayAuth {
  address: string
  /** With a bound token: `<jwt>~<ts>~<sig>`, a fresh single-use proof that this session holds its key. */
  proof?: string
}

/**
 * Builds each connect's handshake. With `sign` (a token bound to the session key), every connect
 * carries a new proof over a new timestamp, with a token fetched again (`freshToken`) from the second
 * connect on, so a reconnect an hour later is not refused for an expired token.
 */
export function createRelayAuth(
  address: string,
  session: Pick<TransportSessionOptions, 'token' | 'sign' | 'freshToken'>,
): () => Promise<RelayAuth> {
  let lastTs = 0
  let jwt = session.token
  let connects = 0
  return async () => {
    const { sign, freshToken } = session
    if (!sign) return { address }
    if (connects++ > 0 || jwt === undefined) jwt = (await freshToken?.()) ?? jwt
    if (!isJwtShaped(jwt)) {
      throw new MeetingError(
        'AUTH_FAILED',
        'No JWT to present to the relay: a signed session needs its token to be one (core gives it with `sign`).',
      )
    }
    // The server takes each proof once: never two on the same timestamp.
    lastTs = Math.max(Date.now(), lastTs + 1)
    const signature = await sign(relayPayload(address, lastTs))
    return { address, proof: formatRelayProof({ jwt, ts: lastTs, signature }) }
  }
}
