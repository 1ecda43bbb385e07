import type { DataConnection } from 'peerjs'

/** After the preferred connection of a pair opens, the other one stays this long so in-flight data lands. */
const RETIRE_GRACE_MS = 1000
/** A pair whose connection fails before opening (ICE or DTLS gave up) is dialled this many times in all. */
const MAX_DIAL_ATTEMPTS = 3
const REDIAL_DELAY_MS = 250

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
 * the same pair, both sides keep the one opened by the lower peer id. A losing connection that is still
 * opening is closed at once; one that already carries data is retired only after the winner opens, so
 * the link never blinks and core sees one `link-up` per link.
 */
export class DataLinks {
  private readonly links = new Map<string, Set<Tracked>>()
  private readonly up = new Set<string>()
  private readonly redials = new Map<string, ReturnType<typeof setTimeout>>()
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

  /** Dials `remote` unless a connection to it exists. */
  connect(remote: string, attempt = 1): void {
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
    // No redial after a timeout: a peer that never answered is likely a stale directory entry (a session
    // whose network dropped), and waiting for it again would hold up the join.
    tracked.timer = setTimeout(() => {
      if (!tracked.open) this.drop(tracked, true)
    }, this.connectTimeoutMs)
    // PeerJS only watches the ICE state; a DTLS or SCTP failure shows in the connection state alone.
    const pc = conn.peerConnection
    pc?.addEventListener?.('connectionstatechange', () => {
      if (!tracked.open && (pc.connectionState === 'failed' || pc.connectionState === 'closed')) {
        this.drop(tracked, true, true)
      }
    })
    conn.on('open', () => {
      if (tracked.closed) return
      tracked.open = true
      clearTimeout(tracked.timer)
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
      if (!tracked.open) this.drop(tracked, true, true)
    })
    // Deferred: closing inside PeerJS's own 'connection' handler breaks its replay of queued candidates.
    setTimeout(() => this.reconcile(remote), 0)
  }

  /** The PeerServer says `remote` is not there: give up its connections that are still opening. */
  failPending(remote: string): void {
    for (const tracked of this.links.get(remote) ?? []) if (!tracked.open) this.drop(tracked, true)
  }

  /** Closes every connection to `remote` (core refused it); reported like any other closed link. */
  close(remote: string): void {
    clearTimeout(this.redials.get(remote))
    this.redials.delete(remote)
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
    for (const timer of this.redials.values()) clearTimeout(timer)
    this.redials.clear()
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
      if (tracked.initiator === preferred || tracked.retiring) continue
      if (!tracked.open) {
        this.drop(tracked, true)
      } else if (winnerOpen) {
        tracked.retiring = true
        tracked.timer = setTimeout(() => this.drop(tracked, true), RETIRE_GRACE_MS)
      }
    }
  }

  /** `failed`: the connection broke before opening, so a dial of ours is worth another try. */
  private drop(tracked: Tracked, close: boolean, failed = false): void {
    if (tracked.closed) return
    tracked.closed = true
    clearTimeout(tracked.timer)
    if (close) tracked.conn.close()
    if (this.closing) return
    const remote = tracked.conn.peer
    const set = this.links.get(remote)
    if (!set) return
    set.delete(tracked)
    // Either side redials a connection that broke before opening, whoever dialled it: the remote may
    // have given up on it, and a link reported down here would read as a departure in the making.
    if (failed && set.size === 0 && tracked.attempt < MAX_DIAL_ATTEMPTS) {
      this.links.delete(remote)
      this.redials.set(
        remote,
        setTimeout(() => {
          this.redials.delete(remote)
          this.connect(remote, tracked.attempt + 1)
          if (!this.has(remote)) this.settle(remote)
        }, REDIAL_DELAY_MS * tracked.attempt),
      )
      return
    }
    this.settle(remote)
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
