import type { WireMessage } from './protocol.js'
import type {
  LinkId,
  Transport,
  TransportEvent,
  TransportSession,
  TransportSessionOptions,
} from './transport.js'
import { optionalMethods, transportTraits } from './wrapTransport.js'

/** What `tapTransport` reports; every hook is optional and must not throw. */
export interface TransportTap {
  /** A session is being opened with these options. Defaults to none. */
  session?(options: TransportSessionOptions): void
  /** The transport told the meeting something (before the meeting sees it). Defaults to none. */
  event?(event: TransportEvent, options: TransportSessionOptions): void
  /** The meeting is sending `message` (to one link, or to all when `to` is undefined). Defaults to none. */
  send?(message: WireMessage, to: LinkId | undefined, options: TransportSessionOptions): void
}

/**
 * Wraps a transport to watch its traffic without changing it: for logs and telemetry, for debugging a
 * meeting, and in tests for what a modified client could see on the wire.
 */
export function tapTransport(inner: Transport, tap: TransportTap): Transport {
  return {
    ...transportTraits(inner),
    session(options) {
      tap.session?.(options)
      const session = inner.session(options)
      const tapped: TransportSession = {
        get address() {
          return session.address
        },
        events: {
          subscribe: (observer) =>
            session.events.subscribe({
              ...observer,
              next(event) {
                tap.event?.(event, options)
                observer.next?.(event)
              },
            }),
        },
        send(message, to, delivery) {
          tap.send?.(message, to, options)
          session.send(message, to, delivery)
        },
        ...optionalMethods(session),
      }
      return tapped
    },
  }
}
