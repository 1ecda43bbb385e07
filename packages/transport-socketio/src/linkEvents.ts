import {
  type AttestedPeer,
  type LinkId,
  MeetingError,
  parseWireMessage,
  type TransportEvent,
} from '@convene/core'
import {
  mediaOfRef,
  parsePeerId,
  RELAY_PROTOCOL_VERSION,
  type RelayMember,
  type RelayRef,
  relayRecordDigest,
} from '@convene/core/wire'

// What LinkBook hands core, and how it reads what the relay sends: pure functions, no state.

/** What the relay vouches for, as core takes it: the participant and session come from the address. */
function attested(member: RelayMember): AttestedPeer | null {
  const id = parsePeerId(member.address)
  if (!id) return null
  return {
    participant: { id: id.participantId, name: member.name, role: member.role },
    session: id.sessionId,
    joinedAt: member.joinedAt,
    media: { mic: member.media.mic, webcam: member.media.webcam },
    verified: member.verified,
  }
}

export const up = (member: RelayMember): TransportEvent => {
  const peer = attested(member)
  return peer
    ? { type: 'link-up', linkId: member.address, peer }
    : { type: 'link-up', linkId: member.address }
}
/**
 * The same session on another socket, vouched for with the same record: nothing core does not know. A
 * herd coming back after a node died is one such arrival per returner for every participant; as a
 * `link-up` each would be a statechart step at every one of them (N² for the herd).
 */
export const sameRecord = (a: RelayMember, b: RelayMember): boolean =>
  a.name === b.name &&
  a.role === b.role &&
  a.joinedAt === b.joinedAt &&
  a.verified === b.verified &&
  a.media.mic === b.media.mic &&
  a.media.webcam === b.media.webcam

export const down = (linkId: LinkId): TransportEvent => ({ type: 'link-down', linkId })
export const gone = (linkId: LinkId, reason: 'left' | 'lost'): TransportEvent => ({
  type: 'presence-gone',
  linkId,
  reason,
})

/**
 * The record held under a reference's address (`RelayRef`), on the socket and with the media the
 * reference names; `null` if none is held there, or another (its digest differs).
 */
export function heldRecord(links: ReadonlyMap<LinkId, RelayMember>, ref: RelayRef): RelayMember | null {
  const [address, sid, digest, media] = ref
  const known = links.get(address)
  if (!known || relayRecordDigest(known) !== digest) return null
  const same = known.sid === sid && (known.media.mic ? 1 : 0) + (known.media.webcam ? 2 : 0) === media
  return same ? known : { ...known, sid, media: mediaOfRef(ref) }
}

/** A relay of another protocol version (an older one names none): the session cannot go on with it. */
export function protocolMismatch(theirs: unknown): TransportEvent {
  const named = typeof theirs === 'number' ? `relay protocol ${theirs}` : 'no relay protocol (an older relay)'
  return {
    type: 'error',
    fatal: true,
    error: new MeetingError(
      'PROTOCOL_VERSION',
      `The relay speaks ${named}; this transport speaks ${RELAY_PROTOCOL_VERSION}: update @convene/server or @convene/transport-socketio so that both speak the same.`,
    ),
  }
}

/** Whether `data` is the LEAVE of the session at `address`, well formed as core takes it. */
export function isOwnLeave(address: string, data: unknown): boolean {
  if ((data as { type?: unknown } | null)?.type !== 'leave') return false
  try {
    return parseWireMessage(data).session === parsePeerId(address)?.sessionId
  } catch {
    return false
  }
}

/** Messages travel as JSON text; anything else is handed to core as is, for its validation to reject. */
export function decode(data: string): unknown {
  try {
    return JSON.parse(data) as unknown
  } catch {
    return data
  }
}
