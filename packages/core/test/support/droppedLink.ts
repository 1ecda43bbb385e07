import type { LinkId, Transport, TransportEvent, TransportSession } from '../../src/index.js'
import { optionalMethods, transportTraits } from '../../src/wrapTransport.js'

/** Drives a `droppingLinks` transport's one session. */
export interface LinkControl {
  /** The links up now, by id. */
  readonly up: ReadonlySet<LinkId>
  /** Reports the link `linkId` down, and from then on hides everything of it (it never comes back up). */
  drop(linkId: LinkId): void
  /** Hands core a message as if the transport received it for the link `linkId`. */
  deliver(linkId: LinkId, data: unknown): void
}

/**
 * A transport whose one session can lose a link for good on demand (as an RTCPeerConnection that
 * closes while its peer redials and fails), and be handed a message for that link's address from
 * elsewhere: as the PeerJS transport hands core a host's END the signalling server passed on.
 */
export function droppingLinks(inner: Transport): { transport: Transport; control: LinkControl } {
  const up = new Set<LinkId>()
  const dropped = new Set<LinkId>()
  let tell: ((event: TransportEvent) => void) | null = null
  const control: LinkControl = {
    up,
    drop(linkId) {
      dropped.add(linkId)
      up.delete(linkId)
      tell?.({ type: 'link-down', linkId })
    },
    deliver: (linkId, data) => tell?.({ type: 'message', linkId, data }),
  }
  const transport: Transport = {
    ...transportTraits(inner),
    session(options) {
      const session = inner.session(options)
      const wrapped: TransportSession = {
        get address() {
          return session.address
        },
        events: {
          subscribe: (observer) => {
            tell = (event) => observer.next?.(event)
            return session.events.subscribe({
              ...observer,
              next(event) {
                const linkId = 'linkId' in event ? event.linkId : undefined
                if (linkId !== undefined && dropped.has(linkId)) return
                if (event.type === 'link-up') up.add(event.linkId)
                if (event.type === 'link-down') up.delete(event.linkId)
                observer.next?.(event)
              },
            })
          },
        },
        send: (message, to, delivery) => {
          if (to === undefined || !dropped.has(to)) session.send(message, to, delivery)
        },
        ...optionalMethods(session),
      }
      return wrapped
    },
  }
  return { transport, control }
}
