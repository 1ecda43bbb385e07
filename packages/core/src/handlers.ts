import { type MeetingContext, presenceByTransport } from './context.js'
import { nextSweepInMs } from './departureDetector.js'
import { isPresentOnLink } from './liveness.js'
import { MeetingError } from './MeetingError.js'
import {
  depart,
  forgetOldDepartures,
  greet,
  hear,
  isNewerSession,
  linkedSession,
  sessionOnLink,
  sweep,
  unlink,
} from './membership.js'
import { PersistentMap } from './PersistentMap.js'
import type { PeerMessageEvent } from './peerEvents.js'
import { printable } from './peerEvents.js'
import { floorIntervalMs, isLinked } from './presence.js'
import type { HelloMessage, LeaveMessage } from './protocol.js'
import type { PresenceGone } from './sessionEvents.js'
import type { LinkId } from './transport.js'
import type { MeetingMediaStream } from './types.js'
import { beginWork, reportOnly, send, sendHello, tell, type Work } from './work.js'

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
  const { linkId, message } = event
  // A session present on its own link departs in this same step: refreshing its liveness first would
  // only copy a presence that is deleted next. Its departure keeps the LEAVE's seq.
  if (!isPresentOnLink(context, linkId, message)) hear(work, linkId, message, event.at)
  depart(work, message.session, 'left', { final: true, announce, seq: message.seq })
  // A transport authoritative for presence tells everyone of the leaver's departure itself: the leaver
  // does not wait for confirmations, and N - 1 of them per leave would only load the server.
  if (!presenceByTransport(context)) send(work, { type: 'ack', ackOf: 'leave' }, linkId)
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
  const linked = new Set<LinkId>()
  const { session } = context
  for (const [sessionId, presence] of session.presence.entries())
    if (isLinked(session, sessionId)) linked.add(presence.linkId)
  for (const linkId of peers) if (!linked.has(linkId)) expected = expected.set(linkId, true)
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
  unlink(work, linkId)
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

/** One beat of the heartbeat clock: say we are alive, then declare the silent ones gone. */
export function heartbeat(context: MeetingContext): Work {
  const work = beginWork(context)
  work.session.tick = context.session.tick + 1
  send(work, { type: 'heartbeat' })
  sweep(work, context.setup.clock?.())
  return work
}

/** A sweep between ticks: a peer's wall-clock allowance ran out before our next tick (`nextSweepInMs`). */
export function departureSweep(context: MeetingContext): Work {
  const work = beginWork(context)
  sweep(work, context.setup.clock?.())
  return work
}

/** When the next sweep between ticks is due (ms), or `null` when the next tick will do. */
export function sweepDueInMs(context: MeetingContext): number | null {
  const { session, setup } = context
  const silence = { tick: session.tick, now: setup.clock?.(), connected: session.signalling }
  return nextSweepInMs(
    setup.timing,
    session.presence.entries(),
    (id) => floorIntervalMs(session, id),
    silence,
  )
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
  unlink(work, event.linkId)
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

/**
 * A remote stream on a link: the roster carries it, told to the app only once joined (a joiner is
 * called as soon as the others admit it; while it is joining, the room is told as it is at
 * `meeting-joined`).
 */
export function remoteMedia(
  context: MeetingContext,
  linkId: LinkId,
  stream: unknown,
  announce: boolean,
): Work {
  const work = beginWork(context)
  const { presence: present, members } = context.session
  const sessionId = linkedSession(context, linkId)
  const presence = sessionId === undefined ? undefined : present.get(sessionId)
  const participant = presence === undefined ? undefined : members.get(presence.participantId)
  if (participant === undefined || participant.stream === stream) return work
  // The transport's stream, passed on untouched: the public type states what a transport hands over.
  const updated = { ...participant, stream: stream as MeetingMediaStream | null }
  work.session.members = members.set(participant.id, updated)
  work.session.rosterVersion += 1
  if (announce) tell(work, { type: 'participant-media-changed', participant: updated })
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
