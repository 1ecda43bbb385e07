import type { Observer, Transport, TransportEvent, TransportSession } from '../../src/index.js'
import { transportTraits } from '../../src/wrapTransport.js'

/**
 * Wraps a real transport so a test decides when `ready` is let through and when `drain()` settles, and
 * can add the events a memory network never produces by itself (transport errors, media, pagehide).
 */
export function controlTransport(inner: Transport) {
  let observer: Observer<TransportEvent> | null = null
  let heldReady: TransportEvent | null = null
  let readyReleased = false
  let releaseDrain: (() => void) | null = null
  const transport: Transport = {
    ...transportTraits(inner),
    name: `controlled-${inner.name}`,
    session(options): TransportSession {
      const session = inner.session(options)
      return {
        send: (message, to) => session.send(message, to),
        drain: () => new Promise<void>((resolve) => (releaseDrain = resolve)),
        events: {
          subscribe(target) {
            observer = target
            const subscription = session.events.subscribe({
              next(event) {
                if (event.type === 'ready' && !readyReleased) heldReady = event
                else target.next?.(event)
              },
            })
            return {
              unsubscribe() {
                observer = null
                subscription.unsubscribe()
              },
            }
          },
        },
      }
    },
  }
  return {
    transport,
    releaseReady() {
      readyReleased = true
      if (heldReady) observer?.next?.(heldReady)
      heldReady = null
    },
    emit(event: TransportEvent) {
      observer?.next?.(event)
    },
    releaseDrain() {
      releaseDrain?.()
    },
  }
}
