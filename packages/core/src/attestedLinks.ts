import type { GatedMessage } from './auth/gateHellos.js'
import { MeetingError } from './MeetingError.js'
import type { PeerEvent } from './peerEvents.js'
import { type HelloMessage, MAX_ID_LENGTH, PROTOCOL_VERSION } from './protocol.js'
import type { AttestedPeer, LinkId } from './transport.js'
import {
  count,
  displayName,
  flag,
  isRecord,
  mediaState,
  readFields,
  role,
  text,
} from './wire/fieldReaders.js'

/** A transport's {@link AttestedPeer}, shape-checked (transports are third-party code); `null` if malformed. */
export function readAttestedPeer(value: unknown): AttestedPeer | null {
  const read = readFields((fail): AttestedPeer => {
    if (!isRecord(value)) return fail('an attested peer must be an object')
    const { participant: p, session, joinedAt, media, verified } = value
    if (!isRecord(p)) return fail('`participant` must be an object')
    const peer: AttestedPeer = {
      participant: {
        id: text(p.id, 'participant.id', MAX_ID_LENGTH, fail),
        name: displayName(p.name, 'participant.name', fail),
        role: role(p.role, 'participant.role', fail),
      },
      session: text(session, 'session', MAX_ID_LENGTH, fail),
      joinedAt: count(joinedAt, 'joinedAt', fail),
      verified: flag(verified, 'verified', fail),
    }
    return media === undefined ? peer : { ...peer, media: mediaState(media, 'media', fail) }
  })
  return read.ok ? read.value : null
}

const sessionOf = (data: unknown) => (isRecord(data) ? data.session : undefined)

/**
 * For a transport that attests identity (`Transport.identity: 'transport'`), in place of the hello
 * gate: each `link-up` record becomes that session's hello (as the statechart takes it: `peer.hello`),
 * and a link carries only the words of the session attested on it. Hellos from peers are refused:
 * over such a transport who someone is is the transport's to say, never a peer's.
 */
export function attestedLinks(options: {
  meetingId: string
  /** Our own session: never introduced to ourselves. */
  ownSession: string
  /** With `auth`: only sessions the transport verified a token for are admitted. */
  verifiedOnly: boolean
  /** Our tick, announced as a heartbeat interval nobody uses (no heartbeats over such a transport). */
  intervalMs: number
  deliver: (message: GatedMessage) => void
  tell: (event: PeerEvent) => void
}) {
  /** Link → the session attested on it, and back. */
  const owners = new Map<LinkId, string>()
  const linkOf = new Map<string, LinkId>()
  /** The highest `seq` heard from each session: its next attested hello comes right after it. */
  const lastSeq = new Map<string, number>()
  /** The `seq` of the last attested hello made for each session. */
  const introduced = new Map<string, number>()

  const forget = (linkId: LinkId) => {
    const owner = owners.get(linkId)
    if (owner === undefined) return
    owners.delete(linkId)
    if (linkOf.get(owner) === linkId) linkOf.delete(owner)
  }

  const refuse = (linkId: LinkId, why: string) =>
    options.tell({
      type: 'peer.refused',
      linkId,
      error: new MeetingError('AUTH_FAILED', why, { details: { linkId } }),
    })

  return {
    /** A new channel; with a record, the session on it is introduced. */
    linkUp(linkId: LinkId, peer: AttestedPeer | undefined): void {
      forget(linkId)
      if (peer === undefined || peer.session === options.ownSession) return
      if (options.verifiedOnly && !peer.verified) {
        refuse(
          linkId,
          `Refused "${peer.participant.id.slice(0, 64)}": the transport did not verify a token for it, and this meeting requires one.`,
        )
        return
      }
      owners.set(linkId, peer.session)
      linkOf.set(peer.session, linkId)
      // Between the last message heard from it (or the last attested hello, if later) and its next
      // message: a session the transport brings back after it was lost is newer than what core
      // remembers of it and is let in again, even one that never spoke, and the media it reports
      // next still counts.
      const heard = lastSeq.get(peer.session) ?? -1
      const before = introduced.get(peer.session)
      const seq = before !== undefined && before > heard ? (before + heard + 1) / 2 : heard + 0.5
      introduced.set(peer.session, seq)
      const message: HelloMessage = {
        v: PROTOCOL_VERSION,
        session: peer.session,
        seq,
        type: 'hello',
        meetingId: options.meetingId,
        participant: { ...peer.participant },
        joinedAt: peer.joinedAt,
        heartbeatIntervalMs: options.intervalMs,
        ...(peer.media ? { media: { ...peer.media } } : {}),
      }
      options.tell({ type: 'peer.hello', linkId, message })
    },
    linkDown: forget,
    /** A message on a link: passed on only if it speaks for the session attested there. */
    accept(linkId: LinkId, data: unknown): void {
      const session = sessionOf(data)
      if (isRecord(data) && data.type === 'hello') {
        refuse(linkId, 'Refused a hello: over this transport, the transport says who each session is.')
        return
      }
      const owner = owners.get(linkId)
      const speaksForAnother =
        typeof session === 'string' && (owner !== undefined ? session !== owner : linkOf.has(session))
      if (speaksForAnother) {
        refuse(
          linkId,
          `Refused a message: session "${session.slice(0, 64)}" speaking on another session's link.`,
        )
        return
      }
      const seq = isRecord(data) ? data.seq : undefined
      if (typeof session === 'string' && typeof seq === 'number' && seq > (lastSeq.get(session) ?? -1))
        lastSeq.set(session, seq)
      options.deliver({ linkId, data })
    },
  }
}
