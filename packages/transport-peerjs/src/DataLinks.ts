import type { DataConnection } from 'peerjs'

/** After the preferred connection of a pair opens, the other one stays this long so in-flight data lands. */
const RETIRE_GRACE_MS = 1000
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

interface Tracked {
  readonly conn: DataConnection
  /** The peer id that opened this connection. */
  readonly initiator: string
  /** 1 for the first dial of this pair, 2 for its first redial, … */
  readonly attempt: number
  open: boolean
  closed: boolean
  retiring: boolean
  timer: ReturnType<typeof setTimeout> | undefined
}

export interface DataLinkEvents {
  /** The first connection to `remote` opened. */
  up(remote: string): void
  /** The last connection to `remote` is gone; `wasUp` says whether one ever opened. */
  down(remote: string, wasUp: boolean): void
  message(remote: string, data: unknown): void
}

/**
 * One data link per remote peer. Both sides may dial at the same moment; of two connections between
 * the same pair, both sides keep the one opened by the lower peer id. Until the winner opens, the other
 * one may still open first and carry the link (on a lossy network, two handshakes in flight beat one);
 * then it is closed if still opening, or retired after a grace if it carries data, so the link never
 * blinks and core sees one `link-up` per link.
 */
export class DataLinks {
  private readonly links = new Map<string, Set<Tracked>>()
  private readonly up = new Set<string>()
  private readonly redials = new Map<string, ReturnType<typeof setTimeout>>()
  /** Pairs not to redial: core closed them, or the PeerServer says nobody is there. */
  private readonly abandoned = new Set<string>()
  /**
   * Sessions core refused (a hello that failed verification). Never linked again in this session,
   * whoever dials: an impostor redials too, and each new link would be greeted before it is checked.
   * An honest participant that rejoins does so as a new session, under a new peer id.
   */
  private readonly refused = new Set<string>()
  /** Pairs never up yet, each with the timer that reports them `down` after `connectTimeoutMs`. */
  private readonly awaited = new Map<string, ReturnType<typeof setTimeout>>()
  private closing = false

  constructor(
    private readonly localId: string,
    private readonly connectTimeoutMs: number,
    private readonly events: DataLinkEvents,
    /** Opens a connection to `remote`; `undefined` when that is impossible right now. */
    private readonly dial: (remote: string) => DataConnection | undefined,
  ) {}

  /** Whether there is a connection to `remote`, open, opening or about to be redialled. */
  has(remote: string): boolean {
    return (this.links.get(remote)?.size ?? 0) > 0 || this.redials.has(remote)
  }

  /** Dials `remote` unless a connection to it exists; from then on the pair is kept linked. */
  connect(remote: string, attempt = 1): void {
    if (this.refused.has(remote)) return
    this.abandoned.delete(remote)
    if (this.closing || (this.links.get(remote)?.size ?? 0) > 0) return
    const conn = this.dial(remote)
    if (conn) this.adopt(conn, this.localId, attempt)
  }

  isUp(remote: string): boolean {
    return this.up.has(remote)
  }

  get upCount(): number {
    return this.up.size
  }

  upLinks(): string[] {
    return [...this.up]
  }

  /** Takes charge of a connection, incoming or outgoing. */
  adopt(conn: DataConnection, initiator: string, attempt = 1): void {
    const remote = conn.peer
    if (this.refused.has(remote)) {
      // Deferred, as in reconcile: closing inside PeerJS's own 'connection' handler breaks it.
      setTimeout(() => conn.close(), 0)
      return
    }
    this.abandoned.delete(remote)
    const tracked: Tracked = {
      conn,
      initiator,
      attempt,
      open: false,
      closed: false,
      retiring: false,
      timer: undefined,
    }
    let set = this.links.get(remote)
    if (!set) {
      set = new Set()
      this.links.set(remote, set)
    }
    set.add(tracked)
    // A pair never up is redialled before core hears of it, for `connectTimeoutMs`: a link reported
    // down would let a join finish without that peer. Then `down` (the join goes on), and the
    // redials go on too.
    if (!this.up.has(remote) && !this.awaited.has(remote)) {
      const verdict = setTimeout(() => {
        if (!this.up.has(remote) && !this.closing) this.events.down(remote, false)
      }, this.connectTimeoutMs)
      this.awaited.set(remote, verdict)
    }
    // A dial that does not open in time is redialled. A directory entry gone stale is settled by the
    // PeerServer, which answers that nobody is there.
    const patience = Math.min(FIRST_ATTEMPT_MS + PATIENCE_STEP_MS * (attempt - 1), this.connectTimeoutMs)
    tracked.timer = setTimeout(() => {
      if (!tracked.open) this.drop(tracked, true)
    }, patience)
    // PeerJS only watches the ICE state; a DTLS or SCTP failure shows in the connection state alone.
    const pc = conn.peerConnection
    pc?.addEventListener?.('connectionstatechange', () => {
      if (!tracked.open && (pc.connectionState === 'failed' || pc.connectionState === 'closed')) {
        this.drop(tracked, true)
      }
    })
    conn.on('open', () => {
      if (tracked.closed) return
      tracked.open = true
      clearTimeout(tracked.timer)
      clearTimeout(this.awaited.get(remote))
      this.awaited.delete(remote)
      if (!this.up.has(remote)) {
        this.up.add(remote)
        this.events.up(remote)
      }
      this.reconcile(remote)
    })
    conn.on('data', (data) => {
      if (!tracked.closed) this.events.message(remote, data)
    })
    conn.on('close', () => this.drop(tracked, false))
    // Errors of an open connection end in 'close'; one that never opened only reports an error.
    conn.on('error', () => {
      if (!tracked.open) this.drop(tracked, true)
    })
    // Deferred: closing inside PeerJS's own 'connection' handler breaks its replay of queued candidates.
    setTimeout(() => this.reconcile(remote), 0)
  }

  /** The PeerServer says `remote` is not there: give up its connections that are still opening. */
  failPending(remote: string): void {
    if (this.up.has(remote)) return
    this.abandon(remote)
    for (const tracked of [...(this.links.get(remote) ?? [])]) if (!tracked.open) this.drop(tracked, true)
  }

  /** Closes every connection to `remote` for good (core refused it); reported like any other closed link. */
  close(remote: string): void {
    this.refused.add(remote)
    this.abandon(remote)
    for (const tracked of [...(this.links.get(remote) ?? [])]) this.drop(tracked, true)
  }

  /** Sends on the preferred open connection to `to`, or to every link. Never throws. */
  send(data: string, to?: string): void {
    for (const remote of to === undefined ? this.up : [to]) {
      const conn = this.pick(remote)
      try {
        conn?.send(data)
      } catch {
        // A channel closing under our feet: its 'close' event does the bookkeeping.
      }
    }
  }

  /** Bytes (and queued messages) not yet handed to the network, over every open connection. */
  pending(): number {
    let total = 0
    for (const set of this.links.values()) {
      for (const { conn, open } of set) {
        if (!open) continue
        total += (conn.dataChannel?.bufferedAmount ?? 0) + ((conn as { bufferSize?: number }).bufferSize ?? 0)
      }
    }
    return total
  }

  /** Closes everything without reporting anything: the session is over. */
  closeAll(): void {
    this.closing = true
    for (const timer of [...this.redials.values(), ...this.awaited.values()]) clearTimeout(timer)
    this.redials.clear()
    this.awaited.clear()
    for (const set of this.links.values()) for (const tracked of set) this.drop(tracked, true)
    this.links.clear()
    this.up.clear()
  }

  private pick(remote: string): DataConnection | undefined {
    let fallback: DataConnection | undefined
    for (const tracked of this.links.get(remote) ?? []) {
      if (!tracked.open || tracked.closed) continue
      if (tracked.initiator === this.preferredInitiator(remote)) return tracked.conn
      fallback ??= tracked.conn
    }
    return fallback
  }

  private preferredInitiator(remote: string): string {
    return remote < this.localId ? remote : this.localId
  }

  private reconcile(remote: string): void {
    const set = this.links.get(remote)
    if (!set) return
    const preferred = this.preferredInitiator(remote)
    const winners = [...set].filter((t) => t.initiator === preferred)
    if (winners.length === 0) return
    const winnerOpen = winners.some((t) => t.open)
    for (const tracked of set) {
      if (tracked.initiator === preferred || tracked.retiring || !winnerOpen) continue
      if (!tracked.open) {
        this.drop(tracked, true)
      } else {
        tracked.retiring = true
        tracked.timer = setTimeout(() => this.drop(tracked, true), RETIRE_GRACE_MS)
      }
    }
  }

  private drop(tracked: Tracked, close: boolean): void {
    if (tracked.closed) return
    tracked.closed = true
    clearTimeout(tracked.timer)
    if (close) tracked.conn.close()
    if (this.closing) return
    const remote = tracked.conn.peer
    const set = this.links.get(remote)
    if (!set) return
    set.delete(tracked)
    // Either side redials, whoever dialled: the remote may have given up on this pair.
    if (set.size === 0 && !this.abandoned.has(remote)) {
      this.links.delete(remote)
      this.redial(remote, tracked.attempt)
      if (!this.up.has(remote)) return
    }
    this.settle(remote)
  }

  private redial(remote: string, attempt: number): void {
    if (this.redials.has(remote)) return
    const delay = Math.min(REDIAL_BASE_MS * 2 ** (attempt - 1), REDIAL_MAX_MS)
    const timer = setTimeout(() => {
      this.redials.delete(remote)
      if (this.closing || this.abandoned.has(remote)) return
      if ((this.links.get(remote)?.size ?? 0) > 0) return
      const dialled = this.dial(remote)
      if (dialled) this.adopt(dialled, this.localId, attempt + 1)
      // Signalling is down: try again later (its reconnect also lists the room and dials anew).
      else this.redial(remote, attempt + 1)
    }, delay)
    this.redials.set(remote, timer)
  }

  private abandon(remote: string): void {
    this.abandoned.add(remote)
    clearTimeout(this.awaited.get(remote))
    this.awaited.delete(remote)
    clearTimeout(this.redials.get(remote))
    this.redials.delete(remote)
  }

  private settle(remote: string): void {
    const set = this.links.get(remote) ?? new Set<Tracked>()
    const anyOpen = [...set].some((t) => t.open)
    if (this.up.has(remote) && !anyOpen) {
      this.up.delete(remote)
      if (set.size === 0) this.links.delete(remote)
      this.events.down(remote, true)
    } else if (!this.up.has(remote) && set.size === 0) {
      this.links.delete(remote)
      this.events.down(remote, false)
    }
  }
}
