import type { LinkId, Transport, TransportEvent, TransportSession } from '../../src/index.js'
import { optionalMethods, transportTraits } from '../../src/wrapTransport.js'

/** Starts the lag of a `laggingInbound` transport, and says what it did. */
export interface Lag {
  /** Starts holding back messages from the chosen links: longer by half of the time passed, up to `ms`. */
  start(): void
  /** Whether the lag is at `ms` now. */
  readonly full: boolean
}

/**
 * A transport whose sessions get the messages of some links late, in order, as a starved browser's
 * WebRTC threads delivered them in the Chromium walk-through (5-9 s late). The lag builds up, as it did
 * there (messages keep coming, each a little later): a sudden gap would be a silence, rightly taken for
 * a departure. What is still held back when its link goes down is lost: closing a peer connection
 * drops what it had not yet delivered.
 */
export function laggingInbound(
  inner: Transport,
  from: (linkId: LinkId) => boolean,
  ms: number,
): { transport: Transport; lag: Lag } {
  let startedAt: number | null = null
  const delay = () => (startedAt === null ? 0 : Math.min(ms, (Date.now() - startedAt) / 2))
  const lag: Lag = {
    start() {
      startedAt = Date.now()
    },
    get full() {
      return delay() === ms
    },
  }
  const transport: Transport = {
    ...transportTraits(inner),
    session(options) {
      const session = inner.session(options)
      const lagging: TransportSession = {
        get address() {
          return session.address
        },
        events: {
          subscribe: (observer) => {
            // Held back per link, so a link going down loses only its own.
            const held = new Map<LinkId, Set<ReturnType<typeof setTimeout>>>()
            const hold = (linkId: LinkId, event: TransportEvent) => {
              const timers = held.get(linkId) ?? new Set()
              held.set(linkId, timers)
              const timer = setTimeout(() => {
                timers.delete(timer)
                observer.next?.(event)
              }, delay())
              timers.add(timer)
            }
            const subscription = session.events.subscribe({
              ...observer,
              next(event) {
                if (event.type === 'message' && startedAt !== null && from(event.linkId))
                  return hold(event.linkId, event)
                if (event.type === 'link-down') {
                  for (const timer of held.get(event.linkId) ?? []) clearTimeout(timer)
                  held.delete(event.linkId)
                }
                observer.next?.(event)
              },
            })
            return {
              unsubscribe() {
                for (const timers of held.values()) for (const timer of timers) clearTimeout(timer)
                subscription.unsubscribe()
              },
            }
          },
        },
        send: (message, to, delivery) => session.send(message, to, delivery),
        ...optionalMethods(session),
      }
      return lagging
    },
  }
  return { transport, lag }
}
