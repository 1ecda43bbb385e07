import type { Subscription } from 'rxjs'
import { beatsOf, openBeatChannel } from './beatChannel.js'
import { connectionEvents } from './connectionEvents.js'
import { handshakeStalled } from './handshakeStall.js'
import type { Tracked } from './linkPair.js'

/** What one connection tells the links. */
export interface ConnectionWatcher {
  /** It opened. */
  opened(): void
  /** Data arrived, on the connection or, once it is open, on its beat channel. */
  received(data: unknown): void
  /** It closed, failed, or did not open within the patience. */
  ended(): void
  /** Its handshake is stuck after ICE connected (`handshakeStall.ts`); watched only when given. */
  stalled?(): void
}

/**
 * Watches one connection (`connectionEvents`, and its handshake when `stalled` is given) and opens its
 * beat channel (`beatChannel.ts`), marking `tracked` as beats come in. Unsubscribing closes the connection; the beat channel closes with its
 * peer connection.
 */
export function watchConnection(
  tracked: Tracked,
  patienceMs: number,
  watcher: ConnectionWatcher,
): Subscription {
  const subscription = connectionEvents(tracked.conn, patienceMs).subscribe({
    next: (signal) => {
      if (signal.type === 'open') watcher.opened()
      else watcher.received(signal.data)
    },
    error: () => watcher.ended(),
    complete: () => watcher.ended(),
  })
  tracked.beat = openBeatChannel(tracked.conn)
  if (tracked.beat) {
    subscription.add(
      beatsOf(tracked.beat).subscribe((data) => {
        tracked.beatHeard = true
        if (tracked.open) watcher.received(data)
      }),
    )
  }
  const { stalled } = watcher
  if (stalled) subscription.add(handshakeStalled(tracked.conn).subscribe(() => stalled()))
  return subscription
}
