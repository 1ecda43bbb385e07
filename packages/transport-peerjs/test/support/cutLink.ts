import type { LinkId, Transport, TransportEvent } from '@convene/core'

/**
 * A transport whose data links to the sessions `isCut` names carry nothing either way, while they stay
 * up and the PeerServer connection stays healthy: as a starved browser's WebRTC links can for 10-27 s.
 * Sends to them are dropped (a broadcast goes to each other link up instead); messages from them too.
 * Only the data links: what the transport sends and receives over the PeerServer socket is untouched.
 */
export function cuttingLinks(inner: Transport, isCut: (linkId: LinkId) => boolean): Transport {
  return {
    name: `${inner.name}+cut`,
    session(options) {
      const session = inner.session(options)
      const up = new Set<LinkId>()
      return {
        ...session,
        send(message, to, delivery) {
          if (to !== undefined) {
            if (!isCut(to)) session.send(message, to, delivery)
            return
          }
          if (![...up].some(isCut)) return session.send(message, undefined, delivery)
          for (const link of up) if (!isCut(link)) session.send(message, link, delivery)
        },
        events: {
          subscribe: (observer) =>
            session.events.subscribe({
              ...observer,
              next(event: TransportEvent) {
                if (event.type === 'link-up') up.add(event.linkId)
                if (event.type === 'link-down') up.delete(event.linkId)
                if (event.type === 'message' && isCut(event.linkId)) return
                observer.next?.(event)
              },
            }),
        },
      }
    },
  }
}
