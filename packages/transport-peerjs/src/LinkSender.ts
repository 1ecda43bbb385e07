import type { Delivery } from '@convene/core'
import { type Subscription, take, timer } from 'rxjs'
import { BEAT_COPIES, BEAT_SPACING_MS, sendBeat } from './beatChannel.js'
import type { Tracked } from './linkPair.js'

/** What the sender needs of the links: which are up, the connection each pair settled on, and all of them. */
export interface SendableLinks {
  readonly upIds: Iterable<string>
  preferred(remote: string): Tracked | undefined
  all(remote: string): Iterable<Tracked>
}

/**
 * How a message goes out on the data links, by the delivery core asked for: on each pair's preferred
 * connection, reliable and ordered; expendable ones to everyone on the unreliable beat channels, in
 * copies; vital ones on both (see `beatChannel.ts`). Never throws.
 */
export class LinkSender {
  /** The copies still to send of the last heartbeat. */
  private beatCopies: Subscription | undefined

  constructor(private readonly links: SendableLinks) {}

  send(data: string, to?: string, delivery: Delivery = 'ordered'): void {
    if (delivery === 'expendable' && to === undefined) this.beat(data)
    else if (delivery === 'vital') this.sendTwice(data, to)
    else this.reliably(data, to)
  }

  /** No more heartbeat copies: the links are closing. */
  stop(): void {
    this.beatCopies?.unsubscribe()
  }

  private reliably(data: string, to?: string): void {
    for (const remote of to === undefined ? this.links.upIds : [to]) {
      try {
        this.links.preferred(remote)?.conn.send(data)
      } catch {
        // A channel closing under our feet: its 'close' event does the bookkeeping.
      }
    }
  }

  /** On the reliable channel, and one copy on the beat channel where the remote has one. */
  private sendTwice(data: string, to?: string): void {
    this.reliably(data, to)
    for (const remote of to === undefined ? this.links.upIds : [to]) {
      const tracked = this.links.preferred(remote)
      if (tracked?.beatHeard) sendBeat(tracked.beat, data)
    }
  }

  /**
   * On the beat channel of every connection of each pair that is up (the reliable channel too where the
   * preferred one's is not open yet or not heard from), then `BEAT_COPIES - 1` more copies
   * `BEAT_SPACING_MS` apart, unless the next beat comes first. On every connection, not only the
   * preferred one: while a pair changes connections, the other end may still listen on the old one
   * (its new one not open there yet), and a beat it cannot hear is a beat lost. The other end drops
   * the copies.
   */
  private beat(data: string): void {
    this.beatCopies?.unsubscribe()
    for (const remote of this.links.upIds) {
      this.onEveryBeatChannel(remote, data)
      const tracked = this.links.preferred(remote)
      if (tracked && !(tracked.beat?.readyState === 'open' && tracked.beatHeard)) this.reliably(data, remote)
    }
    this.beatCopies = timer(BEAT_SPACING_MS, BEAT_SPACING_MS)
      .pipe(take(BEAT_COPIES - 1))
      .subscribe(() => {
        for (const remote of this.links.upIds) this.onEveryBeatChannel(remote, data)
      })
  }

  private onEveryBeatChannel(remote: string, data: string): void {
    for (const tracked of this.links.all(remote)) if (!tracked.closed) sendBeat(tracked.beat, data)
  }
}
