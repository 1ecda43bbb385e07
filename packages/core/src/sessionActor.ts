import { fromCallback } from 'xstate'
import { MeetingError } from './MeetingError.js'
import type { WireMessage } from './protocol.js'
import type { LinkId, Transport, TransportEvent, TransportSessionOptions } from './transport.js'

/** What the meeting asks of its session. */
export type SessionCommand = { type: 'send'; message: WireMessage; to?: LinkId } | { type: 'drain' }

/** A transport event as the statechart receives it. */
export type SessionEvent =
  | { type: 'transport.ready'; peers: readonly LinkId[] }
  | { type: 'transport.link-up'; linkId: LinkId }
  | { type: 'transport.link-down'; linkId: LinkId }
  | { type: 'transport.message'; linkId: LinkId; data: unknown }
  | { type: 'transport.disconnected' }
  | { type: 'transport.reconnected' }
  | { type: 'transport.media'; linkId: LinkId; stream: unknown }
  | { type: 'transport.local-media'; stream: unknown }
  | { type: 'transport.terminating' }
  | { type: 'transport.error'; error: unknown; fatal: boolean }
  | { type: 'session.drained' }

const isLink = (value: unknown): value is LinkId => typeof value === 'string' && value.length > 0

/** Transports are third-party code too: an event of the wrong shape is reported, never trusted. */
export function toSessionEvent(event: TransportEvent): SessionEvent {
  const raw = event as unknown as Record<string, unknown>
  switch (raw?.type) {
    case 'ready':
      if (Array.isArray(raw.peers) && raw.peers.every(isLink))
        return { type: 'transport.ready', peers: raw.peers }
      break
    case 'link-up':
    case 'link-down':
      if (isLink(raw.linkId)) return { type: `transport.${raw.type}`, linkId: raw.linkId }
      break
    case 'message':
      if (isLink(raw.linkId)) return { type: 'transport.message', linkId: raw.linkId, data: raw.data }
      break
    case 'media':
      if (isLink(raw.linkId))
        return { type: 'transport.media', linkId: raw.linkId, stream: raw.stream ?? null }
      break
    case 'local-media':
      return { type: 'transport.local-media', stream: raw.stream ?? null }
    case 'disconnected':
    case 'reconnected':
    case 'terminating':
      return { type: `transport.${raw.type}` }
    case 'error':
      return { type: 'transport.error', error: raw.error, fatal: raw.fatal === true }
  }
  const shown = JSON.stringify(event)?.slice(0, 120)
  return {
    type: 'transport.error',
    fatal: false,
    error: new MeetingError('TRANSPORT_ERROR', `Transport emitted a malformed event: ${shown}`),
  }
}

/**
 * The transport session as an actor of the meeting: it subscribes to the transport's stream and stops
 * by unsubscribing, which closes every link, call and track. There is no other cleanup path.
 */
export function createSessionLogic(transport: Transport) {
  return fromCallback<SessionCommand, TransportSessionOptions, SessionEvent>(
    ({ input, sendBack, receive }) => {
      let closed = false
      const session = transport.session(input)
      receive((command) => {
        if (command.type === 'drain') {
          const drained = session.drain?.() ?? Promise.resolve()
          drained.then(
            () => closed || sendBack({ type: 'session.drained' }),
            () => closed || sendBack({ type: 'session.drained' }),
          )
          return
        }
        try {
          session.send(command.message, command.to)
        } catch (error) {
          sendBack({ type: 'transport.error', error, fatal: false })
        }
      })
      const subscription = session.events.subscribe({
        next: (event) => closed || sendBack(toSessionEvent(event)),
        error: (error) => closed || sendBack({ type: 'transport.error', error, fatal: true }),
        complete: () =>
          closed ||
          sendBack({
            type: 'transport.error',
            error: new MeetingError('TRANSPORT_ERROR', 'Transport closed the session'),
            fatal: true,
          }),
      })
      return () => {
        closed = true
        subscription.unsubscribe()
      }
    },
  )
}

/** Stands in until the facade provides a transport; the bare machine is for graphs and inspection. */
export const missingTransportSession = fromCallback<SessionCommand, TransportSessionOptions, SessionEvent>(
  ({ sendBack }) => {
    sendBack({
      type: 'transport.error',
      fatal: true,
      error: new MeetingError(
        'JOIN_FAILED',
        'No transport: create meetings with createMeeting({ transport })',
      ),
    })
  },
)
