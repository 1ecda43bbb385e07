import type { TransportEvent } from '@convene/core'
import type { Subscriber } from 'rxjs'

/**
 * Link events wait for `ready`, so core always hears `ready` first; so does signalling presence, which
 * names links too (the server's first list comes as the peer registers, before the room is listed).
 */
const AFTER_READY = new Set<TransportEvent['type']>([
  'link-up',
  'link-down',
  'message',
  'media',
  'signalling-presence',
])

/**
 * What a session tells its one subscriber, in the order core needs: a link's events (up, down, its
 * messages and media) that come before `ready` are held, and follow it.
 */
export class ReadyGate {
  /** The one subscriber of the session's events, once there is one. */
  subscriber: Subscriber<TransportEvent> | null = null
  private readyTold = false
  private readonly held: TransportEvent[] = []

  get isReady(): boolean {
    return this.readyTold
  }

  /** Tells `event` now, or holds it until `ready` when it is a link's. */
  tell(event: TransportEvent): void {
    if (!this.readyTold && AFTER_READY.has(event.type)) {
      this.held.push(event)
      return
    }
    this.subscriber?.next(event)
  }

  /** Tells `ready`, then what was held for it. */
  ready(peers: readonly string[]): void {
    this.readyTold = true
    this.subscriber?.next({ type: 'ready', peers })
    for (const event of this.held.splice(0)) this.subscriber?.next(event)
  }
}
