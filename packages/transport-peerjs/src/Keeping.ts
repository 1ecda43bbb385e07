import { timer } from 'rxjs'
import { losers, mayRetire, preferredInitiator, RETIRE_GRACE_MS, stale, type Tracked } from './linkPair.js'

/**
 * Which connection of each pair both ends keep (`keeper` in linkPair.ts), and the others' retiring:
 * each connection is confirmed once the other end shows it has it open, and dropped once the other end
 * shows it no longer has (`STALE_MS`); the ones not kept retire after a grace.
 */
export class Keeping {
  constructor(
    private readonly localId: string,
    private readonly pairOf: (remote: string) => Iterable<Tracked>,
    /** Forgets a connection and closes it. */
    private readonly drop: (tracked: Tracked) => void,
  ) {}

  /**
   * Something arrived on `tracked` (on its reliable channel: `reliable`). Those of its pair the other
   * end stopped sending on are dropped; anything on the reliable channel shows the other end has it open.
   */
  heard(tracked: Tracked, reliable: boolean): void {
    for (const gone of stale(this.pairOf(tracked.conn.peer), tracked, Date.now())) this.drop(gone)
    if (reliable) this.confirm(tracked)
  }

  /** The other end has this connection open too: it may now be the keeper, and the others retire. */
  confirm(tracked: Tracked): void {
    if (tracked.confirmed || tracked.closed) return
    tracked.confirmed = true
    if (tracked.open) this.reconcile(tracked.conn.peer)
  }

  /** The connections of the pair not kept retire, after a grace so in-flight data lands. */
  reconcile(remote: string): void {
    for (const tracked of losers(this.pairOf(remote), preferredInitiator(this.localId, remote))) {
      tracked.retiring = true
      tracked.retire = timer(RETIRE_GRACE_MS).subscribe(() => this.retire(tracked))
    }
  }

  /** The grace of a connection retiring is over: it closes, unless the one kept was not heard meanwhile. */
  private retire(tracked: Tracked): void {
    const remote = tracked.conn.peer
    if (mayRetire(this.pairOf(remote), tracked, preferredInitiator(this.localId, remote), Date.now())) {
      this.drop(tracked)
      return
    }
    // Another grace if it is still not the one kept; kept from now on if the keeper went.
    tracked.retiring = false
    this.reconcile(remote)
  }
}
