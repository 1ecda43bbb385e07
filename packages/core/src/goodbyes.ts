import { type EndReason, type GoodbyeKind, type MeetingContext, presenceByTransport } from './context.js'
import { hear, presentSessions } from './membership.js'
import { PersistentMap } from './PersistentMap.js'
import type { AckMessage } from './protocol.js'
import type { SignallingPresence } from './sessionEvents.js'
import { signallingPresence } from './signallingReport.js'
import type { LinkId } from './transport.js'
import { beginWork, type MessageBody, send, type Work } from './work.js'

// Our own goodbye while leaving: LEAVE or END, resent until each present session confirms it; or,
// having obeyed a host's END, our ACK of it, until each present session has that END too.

/**
 * Decides on a goodbye: LEAVE or END, to wait (with resends) for each present session to confirm.
 * Sent on entering `leaving` (`sendGoodbye`), after the app has been told it is out.
 */
export function prepareGoodbye(context: MeetingContext, kind: 'leave' | 'end', reason: EndReason): Work {
  const work = beginWork(context)
  work.session.leaveReason ??= reason
  // A transport authoritative for presence is a server that sees every session's connection and
  // delivers to each, in order: a goodbye through it needs no confirmation. A LEAVE's departure is the
  // server's to tell once the session is gone; an END reaches everyone before the host's own departure,
  // and `drain` holds the host until it has left this process. Confirmed, an END in a meeting of 1,000
  // was 999 ACKs through the server to one process, and a resend to each one not yet heard from.
  const unconfirmed = presenceByTransport(context)
  const awaiting = unconfirmed ? PersistentMap.empty<string, true>() : presentSessions(work)
  const listed = unconfirmed ? PersistentMap.empty<LinkId, true>() : listedNotPresent(context)
  work.session.goodbye = { kind, awaiting, listed, resends: 0 }
  return work
}

/**
 * The links the signalling server lists (`signalling-presence`) that no present session is on: a
 * session we declared gone while it came back (its socket dropped and reopened, its messages to us
 * still stuck), or whose hello never reached us, may count us in all the same. Our first copy goes
 * to every open link, but resends went only to present sessions, and once those confirmed we closed:
 * had that one copy been lost, such a session told us `disconnected` when our socket closed.
 */
function listedNotPresent(context: MeetingContext): PersistentMap<LinkId, true> {
  let listed = PersistentMap.empty<LinkId, true>()
  const { signalling, presence } = context.session
  if (signalling === null) return listed
  for (const linkId of signalling) listed = listed.set(linkId, true)
  for (const [, present] of presence.entries()) listed = listed.delete(present.linkId)
  return listed
}

/**
 * While leaving, a new list from the signalling server: a session it names afresh that we do not
 * count present is owed our goodbye too (it may be back from a dropped socket just as we leave, still
 * counting us in); one it no longer names is gone or going, and is not waited for. `null` (our own
 * signalling down) changes nobody.
 */
export function listedWhileLeaving(context: MeetingContext, event: SignallingPresence): Work {
  const work = signallingPresence(context, event)
  const { goodbye, signalling: before, presence } = context.session
  if (goodbye === null || event.connected === null || presenceByTransport(context)) return work
  const now = new Set(event.connected)
  let listed = goodbye.listed
  for (const [linkId] of goodbye.listed.entries()) if (!now.has(linkId)) listed = listed.delete(linkId)
  for (const linkId of now) if (before === null || !before.has(linkId)) listed = listed.set(linkId, true)
  for (const [, present] of presence.entries()) listed = listed.delete(present.linkId)
  work.session.goodbye = { ...goodbye, listed }
  return work
}

function goodbyeBody(context: MeetingContext, kind: GoodbyeKind): MessageBody {
  if (kind === 'end') return { type: 'end', origin: context.local.sessionId }
  // Each copy says we are still here (the peer does not declare us gone while the host's END is
  // slow to reach it) and that we have that END (so the peer, once it has it too, waits not for us).
  if (kind === 'obeyed-end') return { type: 'ack', ackOf: 'end' }
  return { type: 'leave' }
}

/** The first goodbye goes to every open link, also to sessions whose hello is still on its way. */
export function sendGoodbye(context: MeetingContext): Work {
  const work = beginWork(context)
  const { goodbye } = context.session
  if (goodbye !== null) send(work, goodbyeBody(context, goodbye.kind))
  return work
}

/** To each present session that has not confirmed it yet; the wait before the next copy doubles. */
export function resendGoodbye(context: MeetingContext): Work {
  const work = beginWork(context)
  const { goodbye, presence: present } = context.session
  if (goodbye === null) return work
  const body = goodbyeBody(context, goodbye.kind)
  for (const [sessionId] of goodbye.awaiting.entries()) {
    const presence = present.get(sessionId)
    if (presence !== undefined) send(work, body, presence.linkId)
  }
  for (const [linkId] of goodbye.listed.entries()) send(work, body, linkId)
  work.session.goodbye = { ...goodbye, resends: goodbye.resends + 1 }
  return work
}

/**
 * How long until the goodbye is sent again (the `retransmit` delay, read as `awaitingAcks` is entered,
 * after the resend that re-enters it): `retransmitMs`, doubled after each resend up to
 * `retransmitMaxMs`. By default copies go 0.25, 0.75, 1.75 s after the first, then every second: 12 in
 * `leaveTimeoutMs` (10 s) to a session that never confirms, instead of 40.
 */
export function resendDelayMs(context: MeetingContext): number {
  const { retransmitMs, retransmitMaxMs } = context.setup.timing
  const resends = context.session.goodbye?.resends ?? 0
  // 2 ** 20 times any wait is far past the cap: no overflow however long the goodbye goes on.
  return Math.min(retransmitMaxMs, retransmitMs * 2 ** Math.min(resends, 20))
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
    const awaiting = goodbye.awaiting.delete(event.message.session)
    work.session.goodbye = { ...goodbye, awaiting, listed: goodbye.listed.delete(event.linkId) }
  }
  return work
}
