import type { DataConnection } from 'peerjs'
import type { Subscription } from 'rxjs'

/** After the preferred connection of a pair opens, the other one stays this long so in-flight data lands. */
export const RETIRE_GRACE_MS = 1000
/**
 * A pair left without a connection is redialled for as long as the session lasts, 250 ms after the
 * first failure, doubling up to 2 s: on a lossy network a lost handshake packet must cost a retry, not
 * the link. Only core (a refused peer) or the PeerServer (nobody there) stops it.
 */
const REDIAL_BASE_MS = 250
const REDIAL_MAX_MS = 2000
/**
 * The first dial of a pair may take this long to open, each redial 2.5 s longer, up to
 * `connectTimeoutMs`. On a lossy network a handshake either opens within a second or two or stalls
 * on DTLS's doubling retransmission timer (1 s, 2 s, 4 s, …); a fresh dial opens sooner than a stall.
 */
const FIRST_ATTEMPT_MS = 5000
const PATIENCE_STEP_MS = 2500

/** One data connection of a pair, incoming or outgoing. */
export interface Tracked {
  readonly conn: DataConnection
  /** The peer id that opened this connection. */
  readonly initiator: string
  /** 1 for the first dial of this pair, 2 for its first redial, … */
  readonly attempt: number
  open: boolean
  closed: boolean
  retiring: boolean
  /** Its events (`connectionEvents`); unsubscribing closes it. */
  subscription: Subscription | undefined
  /** The grace before a retired connection closes. */
  retire: Subscription | undefined
}

/** A connection just taken charge of. */
export function track(conn: DataConnection, initiator: string, attempt: number): Tracked {
  const fresh = { open: false, closed: false, retiring: false, subscription: undefined, retire: undefined }
  return { conn, initiator, attempt, ...fresh }
}

/**
 * Once a connection by the preferred initiator is open, the others must go: `close` those still
 * opening, `retire` (after a grace) those that carry data, so the link never blinks.
 */
export function losers(pair: Iterable<Tracked>, preferred: string): { close: Tracked[]; retire: Tracked[] } {
  const all = [...pair]
  const result = { close: [] as Tracked[], retire: [] as Tracked[] }
  if (!all.some((t) => t.initiator === preferred && t.open)) return result
  for (const tracked of all) {
    if (tracked.initiator === preferred || tracked.retiring) continue
    if (tracked.open) result.retire.push(tracked)
    else result.close.push(tracked)
  }
  return result
}

/** How long dial `attempt` of a pair may take to open. */
export function patience(attempt: number, connectTimeoutMs: number): number {
  return Math.min(FIRST_ATTEMPT_MS + PATIENCE_STEP_MS * (attempt - 1), connectTimeoutMs)
}

/** How long to wait before redial `attempt` (1 after the first failure). */
export function redialDelay(attempt: number): number {
  return Math.min(REDIAL_BASE_MS * 2 ** (attempt - 1), REDIAL_MAX_MS)
}

/** Of two connections between a pair, both sides keep the one opened by the lower peer id. */
export function preferredInitiator(localId: string, remote: string): string {
  return remote < localId ? remote : localId
}

/** The connection to send on: the preferred one when open, else any open one. */
export function pick(pair: Iterable<Tracked>, preferred: string): DataConnection | undefined {
  let fallback: DataConnection | undefined
  for (const tracked of pair) {
    if (!tracked.open || tracked.closed) continue
    if (tracked.initiator === preferred) return tracked.conn
    fallback ??= tracked.conn
  }
  return fallback
}

/** Bytes (and queued messages) not yet handed to the network on the open connections. */
export function buffered(pair: Iterable<Tracked>): number {
  let total = 0
  for (const { conn, open } of pair) {
    if (!open) continue
    total += (conn.dataChannel?.bufferedAmount ?? 0) + ((conn as { bufferSize?: number }).bufferSize ?? 0)
  }
  return total
}
