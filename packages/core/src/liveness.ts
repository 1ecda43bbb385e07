import type { MeetingContext, MeetingTiming, Presence, SessionState } from './context.js'
import { CEILING_FLOORS, floorMs, observeArrival } from './departureDetector.js'
import { floorIntervalMs, isLinked } from './presence.js'
import type { WireMessage } from './protocol.js'
import type { LinkId } from './transport.js'
import { copySession } from './work.js'

// Hearing from a session we know: its presence copied with its liveness refreshed. Most messages
// (heartbeats from a session on its own link) change nothing else, and take the short way (`alive`).

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** The sender's presence after one of its messages: a fresh copy (one allocation), its liveness refreshed. */
export function refreshed(
  context: MeetingContext,
  session: SessionState,
  presence: Presence,
  linkId: LinkId,
  message: WireMessage,
  at: number | undefined,
): Mutable<Presence> {
  const next: Mutable<Presence> = { ...presence }
  next.linkId = linkId
  next.lastSeq = Math.max(presence.lastSeq, message.seq)
  next.lastHeardTick = session.tick
  const late = message.type === 'heartbeat' ? (message.late ?? 0) : undefined
  const intervalMs = floorIntervalMs(session, message.session)
  observeArrival(next, at, allowanceCeilingMs(context.setup.timing, intervalMs), late)
  return next
}

/**
 * Whether this message comes from a session present on its own link (still up): hearing it then only
 * refreshes that session's liveness (`alive`), with nothing to tell or send.
 */
export function isPresentOnLink(context: MeetingContext, linkId: LinkId, message: WireMessage): boolean {
  const { session } = context
  const presence = session.presence.get(message.session)
  return presence !== undefined && presence.linkId === linkId && isLinked(session, message.session)
}

/** `hear` for a session present on its own link (`isPresentOnLink`): the session's bookkeeping after it. */
export function alive(
  context: MeetingContext,
  linkId: LinkId,
  message: WireMessage,
  at: number | undefined,
): SessionState {
  const presence = context.session.presence.get(message.session)
  if (presence === undefined) return context.session
  const session = copySession(context.session)
  session.presence = session.presence.set(
    message.session,
    refreshed(context, session, presence, linkId, message, at),
  )
  return session
}

const allowanceCeilingMs = (timing: MeetingTiming, intervalMs: number) =>
  CEILING_FLOORS * floorMs(timing, intervalMs)
