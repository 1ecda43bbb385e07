import { readAttestedPeer } from './attestedLinks.js'
import { MeetingError } from './MeetingError.js'
import type { AttestedPeer, LinkId, PresenceGoneReason } from './transport.js'

// What a transport says, checked before the statechart hears it: the session actor's input side.

/** A transport event as the statechart receives it (a message goes as a `peer.*` event, see `peerEvents`). */
export type SessionEvent = Exclude<CheckedTransportEvent, { type: 'transport.message' }>

/** A remote session gone, as a transport authoritative for presence says (its `presence-gone`). */
export type PresenceGone = { type: 'presence.gone'; linkId: LinkId; reason: PresenceGoneReason }

/** Which remote sessions' signalling connections are open, as the server said (`signalling-presence`). */
export type SignallingPresence = {
  type: 'transport.signalling-presence'
  connected: readonly LinkId[] | null
}

/** A transport event once its shape is checked. */
type CheckedTransportEvent =
  | { type: 'transport.ready'; peers: readonly LinkId[] }
  | { type: 'transport.link-up'; linkId: LinkId; peer?: AttestedPeer }
  | { type: 'transport.link-down'; linkId: LinkId }
  | SignallingPresence
  | { type: 'transport.message'; linkId: LinkId; data: unknown }
  | { type: 'transport.disconnected' }
  | { type: 'transport.reconnected' }
  | { type: 'transport.media'; linkId: LinkId; stream: unknown }
  | { type: 'transport.local-media'; stream: unknown }
  | { type: 'transport.terminating' }
  | { type: 'transport.error'; error: unknown; fatal: boolean }
  | { type: 'session.drained' }
  | PresenceGone

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null
const isLink = (value: unknown): value is LinkId => typeof value === 'string' && value.length > 0
const GONE_REASONS: readonly unknown[] = ['left', 'lost', 'replaced'] satisfies PresenceGoneReason[]

/**
 * Transports are third-party code too: an event of the wrong shape is reported, never trusted. A
 * `presence-gone` counts only from a transport that declared itself authoritative for presence, and a
 * `link-up`'s record of who is on it only from one that attests identity.
 */
export function toSessionEvent(
  event: unknown,
  presenceAuthority = false,
  identityAuthority = false,
): CheckedTransportEvent {
  const raw = isObject(event) ? event : {}
  switch (raw.type) {
    case 'presence-gone':
      if (presenceAuthority && isLink(raw.linkId) && GONE_REASONS.includes(raw.reason))
        return { type: 'presence.gone', linkId: raw.linkId, reason: raw.reason as PresenceGoneReason }
      break
    case 'ready':
      if (Array.isArray(raw.peers) && raw.peers.every(isLink))
        return { type: 'transport.ready', peers: raw.peers }
      break
    case 'link-up': {
      if (!isLink(raw.linkId)) break
      if (raw.peer === undefined) return { type: 'transport.link-up', linkId: raw.linkId }
      const peer = identityAuthority ? readAttestedPeer(raw.peer) : null
      if (peer) return { type: 'transport.link-up', linkId: raw.linkId, peer }
      break
    }
    case 'link-down':
      if (isLink(raw.linkId)) return { type: 'transport.link-down', linkId: raw.linkId }
      break
    case 'signalling-presence':
      // A copy: the transport may reuse its array, and core keeps the report until the next one.
      if (raw.connected === null) return { type: 'transport.signalling-presence', connected: null }
      if (Array.isArray(raw.connected) && raw.connected.every(isLink))
        return { type: 'transport.signalling-presence', connected: [...raw.connected] }
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
  return {
    type: 'transport.error',
    fatal: false,
    error: new MeetingError('TRANSPORT_ERROR', `Transport emitted a malformed event: ${show(event)}`, {
      cause: event,
    }),
  }
}

// A malformed event may hold a BigInt or a cycle, on which JSON.stringify throws: that must not be
// thrown back into the transport that emitted it.
function show(event: unknown): string {
  try {
    return String(JSON.stringify(event)).slice(0, 120)
  } catch {
    return `(${typeof event}, not serialisable)`
  }
}
