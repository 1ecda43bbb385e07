import type { Subscription } from 'rxjs'
import { beatsOf, openBeatChannel } from './beatChannel.js'
import { connectionEvents } from './connectionEvents.js'
import { handshakeStalled } from './handshakeStall.js'
import type { Tracked } from './linkPair.js'

/** What one connection tells the links. */
export interface ConnectionWatcher {
  /** It opened. */
  opened(): void
  /** Data arrived, on the connection or on its beat channel (which may open before the connection). */
  received(data: unknown, onBeatChannel: boolean): void
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
      else watcher.received(signal.data, false)
    },
    error: () => watcher.ended(),
    complete: () => watcher.ended(),
  })
  tracked.beat = openBeatChannel(tracked.conn)
  if (tracked.beat) {
    subscription.add(
      beatsOf(tracked.beat).subscribe((data) => {
        tracked.beatHeard = true
        watcher.received(data, true)
      }),
    )
  }
  const { stalled } = watcher
  if (stalled) subscription.add(handshakeStalled(tracked.conn).subscribe(() => stalled()))
  return subscription
}
