import type { DataConnection } from 'peerjs'
import { timer } from 'rxjs'
import { Copies } from './beatChannel.js'
import { Dialler } from './Dialler.js'
import { Deadlines } from './deadlines.js'
import type { EndedSessions } from './endedSessions.js'
import { Keeping } from './Keeping.js'
import { LinkSender } from './LinkSender.js'
import {
  buffered,
  OPENED_FRAME,
  opening,
  patience,
  pick,
  preferredInitiator,
  redialDelay,
  type Tracked,
  track,
} from './linkPair.js'
import { SilentPairs } from './SilentPairs.js'
import { watchConnection } from './watchConnection.js'

export interface DataLinkEvents {
  /** The first connection to `remote` opened. */
  up(remote: string): void
  /** The last connection to `remote` is gone; `wasUp` says whether one ever opened. */
  down(remote: string, wasUp: boolean): void
  message(remote: string, data: unknown): void
}

/**
 * One data link per remote peer. Both sides may dial at the same moment, and a pair that is not up
 * gets fresh dials alongside those in flight (`HEDGE_MS`); of the connections between a pair, both
 * sides keep the one `keeper` names (the lower peer id's). Until it opens, any other may open first
 * and carry the link (on a lossy network, several handshakes in flight beat one); then the others are
 * closed if still opening, or retired after a grace if they carry data, so the link never blinks and
 * core sees one `link-up` per link. A pair up but silent while the PeerServer lists the peer gets fresh
 * dials alongside too (`SilentPairs`).
 */
export class DataLinks {
  private readonly links = new Map<string, Set<Tracked>>()
  private readonly up = new Set<string>()
  private readonly dialler: Dialler
  private readonly keeping: Keeping
  /** Pairs never up yet, each reported `down` after `connectTimeoutMs` unless it comes up first. */
  private readonly awaited = new Deadlines()
  private readonly copies = new Copies()
  /** Pairs up but silent, given fresh dials while the PeerServer lists the peer (its `presence`). */
  readonly silent: SilentPairs
  /** The session is over: nothing is reported or dialled any more. */
  closing = false
  /** Sends on the links, by the delivery core asks for. */
  readonly out = new LinkSender({
    upIds: this.up,
    preferred: (remote) => pick(this.links.get(remote) ?? [], preferredInitiator(this.localId, remote)),
    all: (remote) => this.links.get(remote) ?? [],
  })

  constructor(
    private readonly localId: string,
    private readonly connectTimeoutMs: number,
    private readonly events: DataLinkEvents,
    /** Opens a connection to `remote`; `undefined` when that is impossible right now. */
    dial: (remote: string) => DataConnection | undefined,
    /** Sessions known to be over (the transport's, shared by its sessions): never dialled. */
    ended?: EndedSessions,
  ) {
    this.dialler = new Dialler(localId, this, dial, ended)
    this.silent = new SilentPairs((remote) => this.dialler.dialAfresh(remote))
    this.keeping = new Keeping(
      localId,
      (remote) => this.links.get(remote) ?? [],
      (t) => this.drop(t),
    )
  }

  /** Whether there is a connection to `remote`, open, opening or about to be redialled. */
  has(remote: string): boolean {
    return this.connections(remote) > 0 || this.dialler.redial.isDialling(remote)
  }

  /** Dials `remote` unless a connection to it exists; from then on the pair is kept linked. */
  connect(remote: string): void {
    this.dialler.connect(remote)
  }

  /** Dials of ours to `remote` still opening. */
  opening(remote: string): number {
    return opening(this.links.get(remote) ?? [], this.localId)
  }

  /** Connections to `remote`, open or opening, whoever dialled. */
  connections(remote: string): number {
    return this.links.get(remote)?.size ?? 0
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
  adopt(conn: DataConnection, initiator: string): void {
    const remote = conn.peer
    if (this.dialler.excluded(remote)) {
      // Deferred, as in reconcile: closing inside PeerJS's own 'connection' handler breaks it.
      setTimeout(() => conn.close(), 0)
      return
    }
    this.dialler.redial.resume(remote)
    const tracked = track(conn, initiator, this.dialler.redial.nextAttempt(remote))
    const pair = this.links.get(remote) ?? new Set()
    this.links.set(remote, pair.add(tracked))
    // A pair never up is redialled before core hears of it, for `connectTimeoutMs`: a link reported
    // down would let a join finish without that peer. Then `down` (the join goes on), and the
    // redials go on too.
    if (!this.up.has(remote)) {
      this.awaited.start(remote, this.connectTimeoutMs, () => {
        if (!this.up.has(remote) && !this.closing) this.events.down(remote, false)
      })
    }
    // A dial that does not open in time is given up (others are in flight by then). A directory entry
    // gone stale is settled by the PeerServer, which answers that nobody is there.
    const subscription = watchConnection(tracked, patience(this.connectTimeoutMs), {
      opened: () => this.opened(tracked),
      received: (data, onBeatChannel) => this.received(tracked, data, onBeatChannel),
      ended: () => this.drop(tracked),
      // Our own dial, stuck in its handshake after ICE connected: a fresh dial now, not DTLS's retry in 1 s.
      ...(initiator === this.localId ? { stalled: () => this.dialler.dialAgain(remote) } : {}),
    })
    if (tracked.closed) subscription.unsubscribe()
    else tracked.subscription = subscription
    // Deferred: closing inside PeerJS's own 'connection' handler breaks its replay of queued candidates.
    setTimeout(() => this.keeping.reconcile(remote), 0)
  }

  /** The PeerServer says `remote` is not there: give up its connections that are still opening. */
  failPending(remote: string): void {
    if (this.up.has(remote)) return
    this.dialler.redial.abandon(remote)
    this.awaited.cancel(remote)
    for (const tracked of [...(this.links.get(remote) ?? [])]) if (!tracked.open) this.drop(tracked)
  }

  /**
   * `remote` said its session is over (`SESSION_OVER`, after its goodbye): it closes its connections
   * itself, and they are not redialled when they go (reported down as usual).
   */
  forget(remote: string): void {
    this.dialler.over(remote)
    this.awaited.cancel(remote)
  }

  /** Closes every connection to `remote` for good (core refused it); reported like any other closed link. */
  close(remote: string): void {
    this.dialler.refuse(remote)
    this.awaited.cancel(remote)
    for (const tracked of [...(this.links.get(remote) ?? [])]) this.drop(tracked)
  }

  /** Bytes (and queued messages) not yet handed to the network, over every open connection. */
  pending(): number {
    return [...this.links.values()].reduce((total, pair) => total + buffered(pair), 0)
  }

  /** Closes everything without reporting anything: the session is over. */
  closeAll(): void {
    this.closing = true
    this.out.stop()
    this.silent.stop()
    this.dialler.redial.stopAll()
    this.awaited.cancelAll()
    for (const set of this.links.values()) for (const tracked of set) this.drop(tracked)
    this.links.clear()
    this.up.clear()
  }

  /**
   * What arrived on a connection. Beats count from any connection of a pair that is up, even one not
   * open here yet: the other end may already send on it. Anything on the reliable channel shows that
   * the other end has that connection open.
   */
  private received(tracked: Tracked, data: unknown, onBeatChannel: boolean): void {
    const remote = tracked.conn.peer
    this.keeping.heard(tracked, !onBeatChannel)
    const ignored = onBeatChannel ? !tracked.open && !this.up.has(remote) : data === OPENED_FRAME
    const fresh = !ignored && this.copies.fresh(remote, data)
    this.silent.heard(remote, fresh)
    if (fresh) this.events.message(remote, data)
  }

  /** The connection opened: the pair is up, if it was not already. */
  private opened(tracked: Tracked): void {
    const remote = tracked.conn.peer
    tracked.open = true
    this.dialler.redial.succeeded(remote)
    this.awaited.cancel(remote)
    try {
      tracked.conn.send(OPENED_FRAME)
    } catch {
      // Closing already: its 'close' event does the bookkeeping.
    }
    // A remote of an older version never says so: by the end of its own patience it has this
    // connection open, or has given it up (and its close reaches us).
    const unconfirmed = timer(patience(this.connectTimeoutMs)).subscribe(() => this.keeping.confirm(tracked))
    tracked.subscription?.add(unconfirmed)
    if (!this.up.has(remote)) {
      this.up.add(remote)
      this.silent.up(remote)
      this.events.up(remote)
    }
    this.keeping.reconcile(remote)
  }

  /** Forgets a connection and closes it (unsubscribing from it closes it); the pair may redial. */
  private drop(tracked: Tracked): void {
    if (tracked.closed) return
    tracked.closed = true
    tracked.retire?.unsubscribe()
    tracked.subscription?.unsubscribe()
    if (this.closing) return
    const remote = tracked.conn.peer
    const set = this.links.get(remote)
    if (!set) return
    set.delete(tracked)
    // Either side redials, whoever dialled: the remote may have given up on this pair.
    if (!tracked.open) this.dialler.redial.failed(remote, tracked.attempt)
    if (set.size === 0 && !this.dialler.redial.isAbandoned(remote)) {
      this.links.delete(remote)
      // After the backoff, not at the dialler's next hedge: a dial that failed at once (a DTLS
      // handshake refused) is redialled in 250 ms, the next in 500 ms, not 1.5 s later.
      this.dialler.redial.restart(remote, redialDelay(tracked.attempt))
      if (!this.up.has(remote)) return
    }
    this.settle(remote)
  }

  private settle(remote: string): void {
    const set = this.links.get(remote) ?? new Set<Tracked>()
    if (this.up.has(remote) && ![...set].some((t) => t.open)) {
      this.up.delete(remote)
      this.silent.down(remote)
      this.copies.forget(remote)
      if (set.size === 0) this.links.delete(remote)
      this.events.down(remote, true)
    } else if (!this.up.has(remote) && set.size === 0) {
      this.links.delete(remote)
      this.events.down(remote, false)
    }
  }
}
