import type { DataConnection } from 'peerjs'
import type { Subscription } from 'rxjs'

/** After the preferred connection of a pair opens, the other one stays this long so in-flight data lands. */
export const RETIRE_GRACE_MS = 1000
/**
 * A pair left without a connection is redialled for as long as the session lasts, 50 ms after the
 * first failure, doubling up to 2 s: on a lossy network a lost handshake packet must cost a retry, not
 * the link. Only core (a refused peer) or the PeerServer (nobody there) stops it. The first retry is
 * quick because a dial can fail within ms of starting: in Node, libdatachannel may check the remote's
 * DTLS certificate before it has stored the answer that names it (ICE connects at once when the
 * answerer's checks came first), and refuses the handshake; the next dial is sound.
 */
const REDIAL_BASE_MS = 50
const REDIAL_MAX_MS = 2000
/**
 * While a pair is not up, its dialler adds a fresh dial alongside those in flight this often, up to
 * `MAX_OPENING` of its own at once; it never aborts one that may still finish. On a lossy network a
 * handshake stalls on DTLS's doubling retransmission timer (1 s, 2 s, 4 s, … after ICE connects): a
 * fresh one restarts that timer at 1 s, and the old one may still finish first. On a sound network a
 * link opens in well under this, so no second dial is ever made.
 */
export const HEDGE_MS = 1500
export const MAX_OPENING = 4
/**
 * Sent on each connection as it opens here, on its reliable channel: the other end learns that this
 * end has it open (`Tracked.confirmed`). Not a wire message: the session drops frames starting with
 * U+0001 before decoding (older versions too).
 */
export const OPENED_FRAME = '\u0001opened'
/**
 * A connection of a pair that carried the other end's data, then nothing for this long while another
 * connection of the same pair does, is closed at the other end: it is dropped here. The other end
 * sends every heartbeat, in copies 250 ms apart, on each connection it has open (`LinkSender`), so
 * this is 10 copies lost in a row on a live one (6e-6 at 30% loss). Counted only while the pair is
 * heard: after nothing at all for `PAIR_SILENCE_MS` (this end frozen, or the network), it starts
 * over, so the burst of a connection's backlog after a freeze does not make its sibling look closed.
 * Without it, an end whose close never arrived (one packet, lost) kept that connection for 13-23 s, until its own ICE or SCTP timers
 * gave up: it could be the connection that end keeps, sending there into nothing and retiring the
 * other end's new dial, the only one the other end had (seen at 30% loss: a live peer declared gone
 * both ways, several times over).
 */
export const STALE_MS = 2500
const PAIR_SILENCE_MS = 1000
/** How long one dial may take to open: beyond that its DTLS timer waits 8 s or more between tries. */
const DIAL_PATIENCE_MS = 12_000

/** One data connection of a pair, incoming or outgoing. */
export interface Tracked {
  readonly conn: DataConnection
  /** The peer id that opened this connection. */
  readonly initiator: string
  /** 1 for the first dial of this pair, 2 for its first redial, … (the backoff after it fails) */
  readonly attempt: number
  open: boolean
  /**
   * Open at the other end too: it said so (`OPENED_FRAME`), or sent data on it. Only such a connection
   * may become the keeper (and have the others retired).
   */
  confirmed: boolean
  closed: boolean
  retiring: boolean
  /** Its events (`connectionEvents`); unsubscribing closes it. */
  subscription: Subscription | undefined
  /** The grace before a retired connection closes. */
  retire: Subscription | undefined
  /** Its unreliable channel for heartbeats (`beatChannel.ts`), when one could be made. */
  beat: RTCDataChannel | undefined
  /** A beat came in on `beat`: the remote has its end, so beats need not take the reliable channel. */
  beatHeard: boolean
  /** When anything last arrived on it (`Date.now()`), on either channel; `undefined` until something did. */
  heardAt: number | undefined
  /** Since when the other connections of its pair are heard and it is not (`STALE_MS`). */
  missedSince: number | undefined
}

/** A connection just taken charge of. */
export function track(conn: DataConnection, initiator: string, attempt: number): Tracked {
  const fresh = {
    open: false,
    confirmed: false,
    closed: false,
    retiring: false,
    subscription: undefined,
    retire: undefined,
    beat: undefined,
    beatHeard: false,
    heardAt: undefined,
    missedSince: undefined,
  }
  return { conn, initiator, attempt, ...fresh }
}

/**
 * The connection both sides settle on: of those open at both ends (`confirmed`), the preferred
 * initiator's, and of several of those (parallel dials) the lowest `connectionId`, an id both ends
 * share. `undefined` while there is none: then any open one carries the link meanwhile.
 *
 * Open here is not open there: the two ends finish a handshake at different moments, and at 10-20%
 * loss the later one may wait seconds on a retransmission. A keeper chosen on this end's view alone
 * made this end send to a connection the other could not hear yet, and retire the one it still used,
 * taking its link down: seconds without heartbeats either way, and a live peer reported gone.
 */
export function keeper(pair: Iterable<Tracked>, preferred: string): Tracked | undefined {
  let best: Tracked | undefined
  for (const t of pair) {
    if (!t.open || !t.confirmed || t.closed || t.retiring || t.initiator !== preferred) continue
    if (best === undefined || t.conn.connectionId < best.conn.connectionId) best = t
  }
  return best
}

/**
 * Once there is a keeper, open at both ends, the others that carry data must go, after a grace so
 * in-flight data lands; neither end's link depends on them any more. Those still opening here are left
 * alone: one may be open at the other end already, and closing it there before that end has the
 * keeper would take its link down (a blink). Each is retired when it opens here, or fails by itself.
 */
export function losers(pair: Iterable<Tracked>, preferred: string): Tracked[] {
  const all = [...pair]
  const kept = keeper(all, preferred)
  if (kept === undefined) return []
  return all.filter((tracked) => tracked !== kept && tracked.open && !tracked.retiring)
}

/**
 * Something arrived on `heard` at `now`: returns the connections of its pair the other end no longer
 * has open (`STALE_MS`), those that carried data once and nothing since while the others did. Only
 * while `heard` is open here: without it the link would go down with them.
 */
export function stale(pair: Iterable<Tracked>, heard: Tracked, now: number): Tracked[] {
  let lastOnPair = Number.NEGATIVE_INFINITY
  for (const t of pair) if (t.heardAt !== undefined && t.heardAt > lastOnPair) lastOnPair = t.heardAt
  const resumed = now - lastOnPair > PAIR_SILENCE_MS
  heard.heardAt = now
  heard.missedSince = undefined
  const found: Tracked[] = []
  for (const t of pair) {
    if (t === heard || t.closed || t.heardAt === undefined) continue
    if (resumed || t.missedSince === undefined) t.missedSince = now
    else if (heard.open && now - t.missedSince > STALE_MS) found.push(t)
  }
  return found
}

/**
 * Whether a connection retiring may close now. Not while it was heard during the grace and the one
 * kept was not: the kept one may be closed at the other end (its close lost), and the one retiring the
 * only one the other end still has. That wait is bounded: the other end sends on each connection it has
 * open, so a kept one that stays silent while the retiring one is heard is dropped after `STALE_MS`
 * (`stale`), and one heard again lets the retiring one close. A pair with nothing to say (neither heard
 * during the grace) gives no such sign: its duplicates close after one grace, as before.
 */
export function mayRetire(
  pair: Iterable<Tracked>,
  retiring: Tracked,
  preferred: string,
  now: number,
): boolean {
  const kept = keeper(pair, preferred)
  if (kept === undefined || kept === retiring) return false
  const heardLately = (t: Tracked) => t.heardAt !== undefined && now - t.heardAt <= RETIRE_GRACE_MS
  return heardLately(kept) || !heardLately(retiring)
}

/** Dials of this pair by `initiator` still opening. */
export function opening(pair: Iterable<Tracked>, initiator: string): number {
  let count = 0
  for (const t of pair) if (!t.open && !t.closed && t.initiator === initiator) count += 1
  return count
}

/** How long one dial may take to open: never longer than core waits for the pair (`connectTimeoutMs`). */
export function patience(connectTimeoutMs: number): number {
  return Math.min(DIAL_PATIENCE_MS, connectTimeoutMs)
}

/** How long to wait before redial `attempt` (1 after the first failure). */
export function redialDelay(attempt: number): number {
  return Math.min(REDIAL_BASE_MS * 2 ** (attempt - 1), REDIAL_MAX_MS)
}

/** Of two connections between a pair, both sides keep the one opened by the lower peer id. */
export function preferredInitiator(localId: string, remote: string): string {
  return remote < localId ? remote : localId
}

/**
 * The connection to send on: the keeper, else one open at both ends (one not retiring first), else
 * any open here.
 */
export function pick(pair: Iterable<Tracked>, preferred: string): Tracked | undefined {
  const kept = keeper(pair, preferred)
  if (kept) return kept
  let best: Tracked | undefined
  const rank = (t: Tracked) => (t.confirmed ? 2 : 0) + (t.retiring ? 0 : 1)
  for (const t of pair) if (t.open && !t.closed && (best === undefined || rank(t) > rank(best))) best = t
  return best
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
