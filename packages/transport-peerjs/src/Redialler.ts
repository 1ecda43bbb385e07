import { type Subscription, timer } from 'rxjs'
import { HEDGE_MS } from './linkPair.js'

/**
 * Which pairs are dialled again, and when. A pair not up is dialled after a first delay, then every
 * `HEDGE_MS` for as long as `dialAgain` says so (it makes the dial, or answers `false` once the pair is
 * up or refused). A pair given up on (core closed it, or the PeerServer says nobody is there) is not
 * redialled until `resume`. The dials of a pair that failed in a row set its backoff after a drop.
 */
export class Redialler {
  /** Pairs not up, each with the timer that dials them (again) until they are. */
  private readonly dialers = new Map<string, Subscription>()
  /** Dials of each pair so far that failed in a row. */
  private readonly failures = new Map<string, number>()
  private readonly abandoned = new Set<string>()

  constructor(private readonly dialAgain: (remote: string) => boolean) {}

  isDialling(remote: string): boolean {
    return this.dialers.has(remote)
  }

  isAbandoned(remote: string): boolean {
    return this.abandoned.has(remote)
  }

  /** The next dial of `remote` is its how-manieth in a row (1 after a success). */
  nextAttempt(remote: string): number {
    return (this.failures.get(remote) ?? 0) + 1
  }

  failed(remote: string, attempt: number): void {
    this.failures.set(remote, attempt)
  }

  succeeded(remote: string): void {
    this.failures.delete(remote)
  }

  /** Dials `remote` after `firstMs`, then every `HEDGE_MS`, unless that is already under way. */
  keep(remote: string, firstMs: number): void {
    if (this.dialers.has(remote)) return
    const dialler = timer(firstMs, HEDGE_MS).subscribe(() => {
      if (this.abandoned.has(remote) || !this.dialAgain(remote)) {
        dialler.unsubscribe()
        if (this.dialers.get(remote) === dialler) this.dialers.delete(remote)
      }
    })
    this.dialers.set(remote, dialler)
  }

  /** As `keep`, but the schedule starts over: the next dial after `firstMs`, whatever was planned. */
  restart(remote: string, firstMs: number): void {
    this.dialers.get(remote)?.unsubscribe()
    this.dialers.delete(remote)
    this.keep(remote, firstMs)
  }

  abandon(remote: string): void {
    this.abandoned.add(remote)
    this.dialers.get(remote)?.unsubscribe()
    this.dialers.delete(remote)
  }

  resume(remote: string): void {
    this.abandoned.delete(remote)
  }

  stopAll(): void {
    for (const dialler of this.dialers.values()) dialler.unsubscribe()
    this.dialers.clear()
  }
}
