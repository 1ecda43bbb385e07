import { authRequired, identityByTransport, type MeetingContext, presenceByTransport } from './context.js'
import { MeetingError } from './MeetingError.js'
import { depart, hear, presentSessions } from './membership.js'
import { PersistentMap } from './PersistentMap.js'
import type { AckMessage, EndMessage, RemoveMessage } from './protocol.js'
import type { LinkId } from './transport.js'
import { beginWork, queue, reportOnly, send, type Work } from './work.js'

// A host's END and REMOVE: who may give them, obeying each once, and removing someone ourselves.

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
 * Obeys a host's END or REMOVE once: pass it on (without auth), apply; an END is then confirmed to
 * everyone on entering `leaving` (`awaitEndEverywhere`).
 *
 * Passing a command on makes one lost copy lose nothing (on a mesh), but only where a copy that did not come from
 * its origin can be obeyed. With auth it never can (only the host's own link is bound to its token),
 * so a relayed copy would buy nothing and cost N² messages, each refused and reported as an attack at
 * every receiver. There, the host's own retransmissions (until each peer acks, or `leaveTimeoutMs`)
 * stand in for the relay, the others staying linked until everyone has the END, and any command
 * heard on another session's link is a real anomaly.
 */
export function obeyCommand(
  context: MeetingContext,
  message: EndMessage | RemoveMessage,
  announce: boolean,
): Work {
  const work = beginWork(context)
  work.session.seenCommands = context.session.seenCommands.set(commandKey(message), true)
  // A transport authoritative for presence is a server that reaches everyone: passing commands on
  // there would only cost N² messages.
  const relay = !authRequired(context) && !presenceByTransport(context)
  if (message.type === 'end') {
    if (relay) queue(work, { message })
    // The host waits for no confirmation over such a transport (`prepareGoodbye`): none is sent.
    if (!presenceByTransport(context)) awaitEndEverywhere(work, message.origin)
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

/**
 * Having obeyed an END, we confirm it to everyone (on entering `leaving`, `sendGoodbye`) and stay
 * linked, resending the confirmation, until every present session has confirmed it too (or
 * `leaveTimeoutMs`). The host's END may be seconds late to reach someone (a starved browser's WebRTC
 * threads), and with auth nobody else's copy can be obeyed: had we all closed at once, that one would
 * have declared each of us gone (`disconnected`) before the END reached it. Our confirmations keep us
 * alive to it until then, and its own confirmation, once it has the END, lets us go.
 */
function awaitEndEverywhere(work: Work, origin: string): void {
  let awaiting = presentSessions(work).delete(origin)
  for (const [sessionId] of work.session.endConfirmed.entries()) awaiting = awaiting.delete(sessionId)
  work.session.goodbye = { kind: 'obeyed-end', awaiting, listed: PersistentMap.empty(), resends: 0 }
}

/** An ACK while in the session: liveness, and a present session that has an END we may get later. */
export function ackHeard(
  context: MeetingContext,
  event: { linkId: LinkId; message: AckMessage; at?: number },
): Work {
  const work = beginWork(context)
  hear(work, event.linkId, event.message, event.at)
  const { message } = event
  // Only present sessions: anyone may send an ACK, and this must not grow with made-up session ids.
  if (message.ackOf === 'end' && work.session.presence.get(message.session) !== undefined) {
    work.session.endConfirmed = work.session.endConfirmed.set(message.session, true)
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
