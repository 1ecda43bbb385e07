/**
 * What `@convene/server`'s Socket.IO relay and `@convene/transport-socketio` say to each other, typed
 * once for both. The handshake's proof format is in `relayProof.ts`, next to this.
 *
 * A client connects with `auth: { address, proof? }`: `address` is a Convene peer id
 * (`cv-<meeting>-<participant>-<session>` in hex), the only address it may send or receive under; with
 * `auth` on the server, `proof` is `<jwt>~<ts>~<sig>`, the session key's signature of
 * {@link relayPayload}. Every message a client sends is `msg(to | null, text)`; the server delivers
 * `msg({ from, data })` with `from` set by the server from the socket's registered address, so no
 * client can speak for another.
 */

/** The longest message text the relay forwards (64 KiB); longer ones are refused with `MESSAGE_TOO_LARGE`. */
export const RELAY_MAX_MESSAGE_CHARS = 65_536

/** A session on the relay: its address and the id of its current socket (new at every fresh connect). */
export interface RelayPeer {
  address: string
  sid: string
}

/** Why a session left the relay, as its peers are told in `peer-left`. */
export type RelayLeaveReason =
  /** It disconnected on purpose (the meeting's `leave`, `end`, a closed tab that said goodbye). */
  | 'left'
  /**
   * A newer connection registered the same address (the same session, connected afresh): only the
   * newest socket speaks under it. Not a departure: the session is still there, on its new socket.
   */
  | 'replaced'
  /**
   * Its connection was lost (network, ping timeout, its server node died) and it did not come back,
   * on any node, within the relay's grace period (`recoveryMs`): sent only once that has passed.
   */
  | 'lost'

/** A session that left the meeting, and why: what `peer-left` carries. */
export type RelayGone = RelayPeer & { reason: RelayLeaveReason }

/** Stable codes of the relay's refusals (`{ code, error }`, as the HTTP routes answer). */
export type RelayErrorCode =
  | 'UNAUTHORIZED'
  | 'INVALID_PROOF'
  | 'INVALID_ADDRESS'
  | 'INVALID_MESSAGE'
  | 'MESSAGE_TOO_LARGE'
  | 'BUSY'
  | 'INTERNAL_ERROR'

export interface RelayError {
  code: RelayErrorCode
  error: string
}

/** Events the server emits. Each takes one object, so Socket.IO's recovery offset is always a last argument of its own. */
export interface RelayServerEvents {
  /**
   * After a fresh (not recovered) connect: who else is in the meeting now, and who left it lately
   * (`gone`, the last minute's departures), for a session that was away when they were announced.
   */
  welcome: (welcome: { peers: RelayPeer[]; gone?: RelayGone[] }) => void
  'peer-joined': (peer: RelayPeer) => void
  /**
   * A session left the meeting, once for the whole cluster: at once when it disconnected on purpose,
   * after the grace period when its connection was lost. Only the server sends it: a client emitting
   * it (or any event other than `msg` and `flush`) is refused.
   */
  'peer-left': (peer: RelayGone) => void
  msg: (message: { from: string; data: string }) => void
  /** A message the relay would not forward; the socket stays connected. */
  refused: (error: RelayError) => void
}

/** Events a client emits. */
export interface RelayClientEvents {
  msg: (to: string | null, data: string) => void
  /** Acknowledged once everything the client sent before it has been handed on: what `drain()` waits for. */
  flush: (ack: () => void) => void
}

const LEAVE_REASONS: readonly unknown[] = ['left', 'replaced', 'lost'] satisfies RelayLeaveReason[]

/** Whether an untrusted value is a {@link RelayGone}. */
export function isRelayGone(value: unknown): value is RelayGone {
  return isRelayPeer(value) && LEAVE_REASONS.includes((value as { reason?: unknown }).reason)
}

/** Whether an untrusted value is a {@link RelayPeer}. */
export function isRelayPeer(value: unknown): value is RelayPeer {
  if (typeof value !== 'object' || value === null) return false
  const { address, sid } = value as Record<string, unknown>
  return typeof address === 'string' && typeof sid === 'string'
}
