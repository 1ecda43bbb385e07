/**
 * What this transport and `@convene/server`'s Socket.IO relay say to each other: the same format as the
 * server's `relayProtocol.ts` (keep the two in step; this package does not depend on the server).
 */

/** Where the server's relay listens unless configured otherwise. */
export const DEFAULT_RELAY_PATH = '/convene/relay'

/**
 * What the session key signs to register `address` on the relay: `convene-relay-v1\n<address>\n<ts>`.
 * Its own first line, so no signalling, directory or hello proof passes for it, nor the reverse.
 */
export function relayPayload(address: string, ts: number): string {
  return `convene-relay-v1\n${address}\n${ts}`
}

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
