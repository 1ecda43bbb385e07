import { MeetingError, type TransportSessionOptions } from '@convene/core'
import {
  formatRelayProof,
  isJwtShaped,
  RELAY_PROTOCOL_VERSION,
  type RelayHandshakeAuth,
  relayPayload,
} from '@convene/core/wire'

/** The handshake a relay socket sends at every connect (Socket.IO calls `auth` again each time). */
export type RelayAuth = RelayHandshakeAuth

/**
 * Builds each connect's handshake: the address, the relay protocol it speaks, what the session
 * presents of itself for the relay to vouch for (its name, role claim, start and current media, read
 * afresh at each connect), and with
 * `sign` (a token bound to the session key) a new proof over a new timestamp, with a token fetched
 * again (`freshToken`) from the second connect on, so a reconnect an hour later is not refused for an
 * expired token.
 */
export function createRelayAuth(
  address: string,
  session: Pick<TransportSessionOptions, 'token' | 'sign' | 'freshToken' | 'self'>,
  media: () => { mic: boolean; webcam: boolean } | undefined,
): () => Promise<RelayAuth> {
  let lastTs = 0
  let jwt = session.token
  let connects = 0
  return async () => {
    const { sign, freshToken, self } = session
    const now = media()
    const presented: RelayAuth = {
      address,
      protocol: RELAY_PROTOCOL_VERSION,
      ...(self ? { name: self.name, role: self.role, joinedAt: self.joinedAt } : {}),
      ...(now ? { media: now } : {}),
    }
    if (!sign) return presented
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
    return { ...presented, proof: formatRelayProof({ jwt, ts: lastTs, signature }) }
  }
}
