import {
  authRequired,
  type EndReason,
  identityByTransport,
  type MeetingContext,
  presenceByTransport,
} from './context.js'
import { MeetingError } from './MeetingError.js'
import {
  depart,
  forgetOldDepartures,
  greet,
  hear,
  isNewerSession,
  presentSessions,
  sessionOnLink,
  sweep,
} from './membership.js'
import { PersistentMap } from './PersistentMap.js'
import type { PeerMessageEvent } from './peerEvents.js'
import { printable } from './peerEvents.js'
import type { AckMessage, EndMessage, HelloMessage, LeaveMessage, RemoveMessage } from './protocol.js'
import type { PresenceGone } from './sessionActor.js'
import type { LinkId } from './transport.js'
import type { MeetingMediaStream } from './types.js'
import { beginWork, type MessageBody, queue, reportOnly, send, sendHello, tell, type Work } from './work.js'

// Each handler is a pure function of the context and one event, returning the Work to commit.

/** A peer's heartbeat (or anything that only says it is alive): refresh its liveness. */
export function heard(context: MeetingContext, event: PeerMessageEvent): Work {
  const work = beginWork(context)
  hear(work, event.linkId, event.message, event.at)
  return work
}

/** A peer's hello: admit a new session, replace an older one, or ignore a stale one. */
export function helloFrom(
  context: MeetingContext,
  event: { linkId: LinkId; message: HelloMessage; at?: number },
  announce: boolean,
): Work {
  const work = beginWork(context)
  hear(work, event.linkId, event.message, event.at)
  helloInto(work, event.linkId, event.message, announce, event.at)
  return work
}

/**
 * A peer's LEAVE: it goes, and is confirmed, even for sessions we never knew (so the leaver does not
 * wait for us) and even while we are leaving ourselves (so neither waits for the other).
 */
export function leaveFrom(
  context: MeetingContext,
  event: { linkId: LinkId; message: LeaveMessage; at?: number },
  announce: boolean,
): Work {
  const work = beginWork(context)
  hear(work, event.linkId, event.message, event.at)
  depart(work, event.message.session, 'left', { final: true, announce })
  // A transport authoritative for presence tells everyone of the leaver's departure itself: the leaver
  // does not wait for confirmations, and N - 1 of them per leave would only load the server.
  if (!presenceByTransport(context)) send(work, { type: 'ack', ackOf: 'leave' }, event.linkId)
  return work
}

/** While leaving: a peer confirmed our goodbye. */
export function ackFrom(
  context: MeetingContext,
  event: { linkId: LinkId; message: AckMessage; at?: number },
): Work {
  const work = beginWork(context)
  hear(work, event.linkId, event.message, event.at)
  const { goodbye } = work.session
  if (goodbye !== null) {
    work.session.goodbye = { kind: goodbye.kind, awaiting: goodbye.awaiting.delete(event.message.session) }
  }
  return work
}

/** A message refused before it counted (invalid, or by the hello gate): the app is told, nothing changes. */
export function refused(context: MeetingContext, error: MeetingError): Work {
  return reportOnly(context, { type: 'error', error })
}

/** Traffic on a link no hello was verified on: ask for one, unless that session is gone for good. */
export function askHello(context: MeetingContext, event: { linkId: LinkId; session: string }): Work {
  const work = beginWork(context)
  if (!context.session.departed.get(event.session)?.final) sendHello(work, event.linkId, true)
  return work
}

/** A hello of a newer session of our own participant id: this one must step down. */
export function isNewerSelf(context: MeetingContext, message: HelloMessage): boolean {
  return (
    message.participant.id === context.local.id &&
    message.meetingId === context.setup.meetingId &&
    isNewerSession(message, { joinedAt: context.joinedAt, session: context.local.sessionId })
  )
}

export function expectPeers(context: MeetingContext, peers: readonly LinkId[]): Work {
  const work = beginWork(context)
  let expected = PersistentMap.empty<LinkId, true>()
  for (const linkId of peers) if (!context.session.links.has(linkId)) expected = expected.set(linkId, true)
  work.session.expected = expected
  return work
}

export function linkUp(context: MeetingContext, linkId: LinkId): Work {
  const work = beginWork(context)
  sendHello(work, linkId, false)
  return work
}

export function linkDown(context: MeetingContext, linkId: LinkId): Work {
  const work = beginWork(context)
  // Not a departure: the session may come back on another link; heartbeats decide.
  const { session } = work
  session.links = session.links.delete(linkId)
  if (session.expected !== null) session.expected = session.expected.delete(linkId)
  return work
}

function helloInto(
  work: Work,
  linkId: LinkId,
  message: HelloMessage,
  announce: boolean,
  at: number | undefined,
): void {
  if (message.participant.id === work.context.local.id) {
    // An older session of our own id: tell it about us so it steps down.
    sendHello(work, linkId, false)
    return
  }
  greet(work, linkId, message, announce, at)
}

function commandKey(message: EndMessage | RemoveMessage): string {
  return `${message.origin}:${message.seq}`
}

/** A REMOVE for us: our participant id, and this session of ours (not an earlier one). */
export function targetsMe(context: MeetingContext, message: RemoveMessage): boolean {
  return (
    message.target === context.local.id &&
    (message.targetSession === undefined || message.targetSession === context.local.sessionId)
  )
}

export function isSeenCommand(context: MeetingContext, message: EndMessage | RemoveMessage): boolean {
  return context.session.seenCommands.has(commandKey(message))
}

export function isFromHost(context: MeetingContext, message: EndMessage | RemoveMessage): boolean {
  // With verified identities a command counts only straight from the host, never relayed: a relayer
  // could put any origin on it, and only the origin's own link is bound to a verified token (or, over
  // a transport that attests identity, to the session the transport vouched for there).
  if ((authRequired(context) || identityByTransport(context)) && message.origin !== message.session)
    return false
  const { presence, departed, members } = context.session
  const origin = presence.get(message.origin)
  if (origin === undefined) return departed.get(message.origin)?.role === 'host'
  return members.get(origin.participantId)?.role === 'host'
}

/**
 * Obeys a host's END or REMOVE once: confirm, pass it on (without auth), apply.
 *
 * Passing a command on makes one lost copy lose nothing (on a mesh), but only where a copy that did not come from
 * its origin can be obeyed. With auth it never can (only the host's own link is bound to its token),
 * so a relayed copy would buy nothing and cost N² messages, each refused and reported as an attack at
 * every receiver. There, the host's own retransmissions (until each peer acks, or `leaveTimeoutMs`)
 * stand in for the relay, and any command heard on another session's link is a real anomaly.
 */
export function obeyCommand(
  context: MeetingContext,
  linkId: LinkId,
  message: EndMessage | RemoveMessage,
  announce: boolean,
): Work {
  const work = beginWork(context)
  work.session.seenCommands = context.session.seenCommands.set(commandKey(message), true)
  // A transport authoritative for presence is a server that reaches everyone: passing commands on
  // there would only cost N² messages.
  const relay = !authRequired(context) && !presenceByTransport(context)
  if (message.type === 'end') {
    send(work, { type: 'ack', ackOf: 'end' }, linkId)
    if (relay) queue(work, { message })
    work.session.leaveReason ??= 'ended'
    return work
  }
  if (relay) queue(work, { message })
  if (targetsMe(context, message)) {
    work.session.leaveReason ??= 'removed'
    return work
  }
  const target = context.session.members.get(message.target)
  if (target !== undefined && (message.targetSession ?? target.sessionId) === target.sessionId) {
    depart(work, target.sessionId, 'removed', { final: true, announce, removal: message })
  }
  return work
}

export function reportUnauthorized(
  context: MeetingContext,
  linkId: LinkId,
  message: EndMessage | RemoveMessage,
): Work {
  const error = new MeetingError(
    'UNAUTHORIZED_COMMAND',
    `Ignored ${message.type.toUpperCase()} from session "${message.origin}", which is not a host in this meeting.`,
    { details: { linkId } },
  )
  return reportOnly(context, { type: 'error', error })
}

export function removeRemote(context: MeetingContext, participantId: string): Work {
  const work = beginWork(context)
  const target = context.session.members.get(participantId)
  if (target === undefined) return work
  const origin = context.local.sessionId
  work.session.seenCommands = context.session.seenCommands.set(`${origin}:${work.session.seq}`, true)
  send(work, { type: 'remove', origin, target: participantId, targetSession: target.sessionId })
  const removal = work.sends.at(-1)?.message as RemoveMessage
  depart(work, target.sessionId, 'removed', { final: true, announce: true, removal })
  return work
}

/**
 * Decides on a goodbye: LEAVE or END, to wait (with resends) for each present session to confirm.
 * Sent on entering `leaving` (`sendGoodbye`), after the app has been told it is out.
 */
export function prepareGoodbye(context: MeetingContext, kind: 'leave' | 'end', reason: EndReason): Work {
  const work = beginWork(context)
  work.session.leaveReason ??= reason
  // A LEAVE over a transport authoritative for presence needs no confirmation (its departure is the
  // transport's to tell, once the session is gone); an END still does: only its arrival ends the others.
  const unconfirmed = kind === 'leave' && presenceByTransport(context)
  work.session.goodbye = { kind, awaiting: unconfirmed ? PersistentMap.empty() : presentSessions(work) }
  return work
}

const goodbyeBody = (context: MeetingContext, kind: 'leave' | 'end'): MessageBody =>
  kind === 'end' ? { type: 'end', origin: context.local.sessionId } : { type: 'leave' }

/** The first goodbye goes to every open link, also to sessions whose hello is still on its way. */
export function sendGoodbye(context: MeetingContext): Work {
  const work = beginWork(context)
  const { goodbye } = context.session
  if (goodbye !== null) send(work, goodbyeBody(context, goodbye.kind))
  return work
}

export function resendGoodbye(context: MeetingContext): Work {
  const work = beginWork(context)
  const { goodbye, presence: present } = context.session
  if (goodbye === null) return work
  const body = goodbyeBody(context, goodbye.kind)
  for (const [sessionId] of goodbye.awaiting.entries()) {
    const presence = present.get(sessionId)
    if (presence !== undefined) send(work, body, presence.linkId)
  }
  return work
}

/** One beat of the heartbeat clock: say we are alive, then declare the silent ones gone. */
export function heartbeat(context: MeetingContext): Work {
  const work = beginWork(context)
  work.session.tick = context.session.tick + 1
  send(work, { type: 'heartbeat' })
  sweep(work)
  return work
}

/**
 * One beat of the clock when the transport decides presence: nobody is told we are alive and nobody's
 * silence counts; the clock only ages what departed sessions are remembered for.
 */
export function quietTick(context: MeetingContext): Work {
  const work = beginWork(context)
  work.session.tick = context.session.tick + 1
  forgetOldDepartures(work)
  return work
}

/**
 * The transport says a remote session is gone: it departs once, told to the app when `announce`
 * (a LEAVE or a newer session's hello that came first has already done it, and this changes nothing).
 */
export function presenceGone(context: MeetingContext, event: PresenceGone, announce: boolean): Work {
  const work = beginWork(context)
  const sessionId = sessionOnLink(context, event.linkId)
  const { session } = work
  if (session.links.has(event.linkId)) session.links = session.links.delete(event.linkId)
  if (session.expected !== null) session.expected = session.expected.delete(event.linkId)
  if (sessionId === undefined) return work
  const reason = event.reason === 'left' ? 'left' : 'disconnected'
  depart(work, sessionId, reason, { final: event.reason === 'left', announce })
  return work
}

/**
 * A beat while joining: say we are alive to whoever may already see us. The clock (and so the sweep)
 * stands still until joined: departures found while joining would only be silent ones anyway.
 */
export function joiningBeat(context: MeetingContext): Work {
  const work = beginWork(context)
  send(work, { type: 'heartbeat' })
  return work
}

export function remoteMedia(context: MeetingContext, linkId: LinkId, stream: unknown): Work {
  const work = beginWork(context)
  const { links, presence: present, members } = context.session
  const sessionId = links.get(linkId)
  const presence = sessionId === undefined ? undefined : present.get(sessionId)
  const participant = presence === undefined ? undefined : members.get(presence.participantId)
  if (participant === undefined || participant.stream === stream) return work
  // The transport's stream, passed on untouched: the public type states what a transport hands over.
  const updated = { ...participant, stream: stream as MeetingMediaStream | null }
  work.session.members = members.set(participant.id, updated)
  work.session.rosterVersion += 1
  tell(work, { type: 'participant-media-changed', participant: updated })
  return work
}

export function transportError(context: MeetingContext, error: unknown, fatal: boolean): Work {
  const reported =
    error instanceof MeetingError
      ? error
      : new MeetingError(
          'TRANSPORT_ERROR',
          `Transport failure${fatal ? ' (fatal)' : ''}: ${printable(error)}`,
          {
            cause: error,
          },
        )
  return reportOnly(context, { type: 'error', error: reported })
}
