/**
 * The events this transport and `@convene/server`'s Socket.IO relay exchange, as this client types
 * them. The handshake's proof format and the default path are `@convene/core/wire`'s, which the server
 * uses too.
 */

/** A session on the relay: its address and its current socket (new at every fresh connect). */
export interface RelayPeer {
  address: string
  sid: string
}

export interface RelayError {
  code: string
  error: string
}

export interface RelayServerEvents {
  welcome: (welcome: { peers: RelayPeer[] }) => void
  'peer-joined': (peer: RelayPeer) => void
  'peer-left': (peer: RelayPeer & { reason: string }) => void
  msg: (message: { from: string; data: string }) => void
  refused: (error: RelayError) => void
}

export interface RelayClientEvents {
  msg: (to: string | null, data: string) => void
  flush: (ack: () => void) => void
}

/** Whether an untrusted value is a `RelayPeer`. */
export function isRelayPeer(value: unknown): value is RelayPeer {
  if (typeof value !== 'object' || value === null) return false
  const { address, sid } = value as Record<string, unknown>
  return typeof address === 'string' && typeof sid === 'string'
}
