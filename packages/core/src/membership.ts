import { authRequired, type MeetingContext, type Presence } from './context.js'
import { isSilentTooLong } from './departureDetector.js'
import { refreshed } from './liveness.js'
import { MeetingError } from './MeetingError.js'
import { messageKind } from './messageKinds.js'
import { PersistentMap } from './PersistentMap.js'
import { floorIntervalMs, isLinked, raisesFloor } from './presence.js'
import type { HelloMessage, RemoveMessage, WireMessage } from './protocol.js'
import type { LinkId } from './transport.js'
import type { Participant, ParticipantLeftReason } from './types.js'
import { queue, sendHello, tell, type Work } from './work.js'

function admitLink(work: Work, linkId: LinkId): void {
  work.admits ??= []
  work.admits.push(linkId)
}

/** The newest session of a participant id wins: later `joinedAt`, then the larger session id. */
export function isNewerSession(
  a: { joinedAt: number; session: string },
  b: { joinedAt: number; session: string },
) {
  return a.joinedAt > b.joinedAt || (a.joinedAt === b.joinedAt && a.session > b.session)
}

/**
 * Bookkeeping for any valid message: refresh the sender's liveness. Returns whether the sender is a
 * session we know; an unknown live one is asked for its hello so rosters converge after a partition.
 */
export function hear(work: Work, linkId: LinkId, message: WireMessage, at?: number): boolean {
  const { context, session } = work
  const presence = session.presence.get(message.session)
  if (presence === undefined) {
    const departed = session.departed.get(message.session)
    const stale = departed !== undefined && (departed.final || message.seq <= departed.lastSeq)
    const { parting } = messageKind(message.type)
    if (departed?.removal !== undefined && !parting) {
      // A removed session still speaking missed its REMOVE: introduce ourselves (it may have dropped us
      // meanwhile and would not trust the command) and hand it over again. With auth only its origin
      // does: a copy from anyone else is refused there (see `obeyCommand`).
      if (authRequired(context) && departed.removal.session !== context.local.sessionId) return false
      sendHello(work, linkId, false)
      queue(work, { message: departed.removal, to: linkId })
    } else if (!stale && !parting && message.type !== 'hello') {
      sendHello(work, linkId, true)
    }
    return false
  }
  const next = refreshed(context, session, presence, linkId, message, at)
  session.presence = session.presence.set(message.session, next)
  if (presence.linkId !== linkId || !isLinked(session, message.session)) {
    // The same session on a new link (after a reconnect), or on the same one back up (a link is named by
    // the remote session, so a blip brings back the same id): media may follow it there.
    session.unlinked = session.unlinked.delete(message.session)
    admitLink(work, linkId)
  }
  return true
}

function admit(work: Work, linkId: LinkId, hello: HelloMessage, announce: boolean, at?: number): void {
  const { context, session } = work
  const participant: Participant = {
    id: hello.participant.id,
    name: hello.participant.name || hello.participant.id,
    role: hello.participant.role,
    sessionId: hello.session,
    stream: null,
    micOn: hello.media?.mic ?? true,
    webcamOn: hello.media?.webcam ?? true,
  }
  const presence: Presence = {
    participantId: participant.id,
    linkId,
    joinedAt: hello.joinedAt,
    lastSeq: hello.seq,
    lastHeardTick: session.tick,
    mediaSeq: hello.seq,
    // The departure detector's estimate starts at the announced interval (`departureDetector`).
    lastAt: at ?? null,
    gapMs: hello.heartbeatIntervalMs,
    gapDevMs: 0,
    lateMs: 0,
  }
  session.presence = session.presence.set(hello.session, presence)
  if (raisesFloor(context.setup.timing, hello.heartbeatIntervalMs)) {
    session.slowBeats = session.slowBeats.set(hello.session, hello.heartbeatIntervalMs)
  }
  session.members = session.members.set(participant.id, participant)
  session.departed = session.departed.delete(hello.session)
  session.rosterVersion += 1
  admitLink(work, linkId)
  if (announce) tell(work, { type: 'participant-joined', participant })
}

/**
 * Removes a remote session from the roster; `announce` says whether the app is told, `seq` is the seq
 * of the message it went with when that message did not refresh its presence (`leaveFrom`).
 */
export function depart(
  work: Work,
  sessionId: string,
  reason: ParticipantLeftReason,
  options: { final: boolean; announce: boolean; removal?: RemoveMessage; seq?: number },
): void {
  const { session } = work
  const presence = session.presence.get(sessionId)
  if (presence === undefined) return
  session.presence = session.presence.delete(sessionId)
  session.unlinked = session.unlinked.delete(sessionId)
  session.slowBeats = session.slowBeats.delete(sessionId)
  const participant = session.members.get(presence.participantId)
  session.departed = session.departed.set(sessionId, {
    // `seq`: the message it went with, when that message did not refresh its presence first.
    lastSeq: options.seq === undefined ? presence.lastSeq : Math.max(presence.lastSeq, options.seq),
    final: options.final,
    atTick: session.tick,
    role: participant?.role,
    removal: options.removal,
  })
  if (session.expected !== null) session.expected = session.expected.delete(presence.linkId)
  const { goodbye } = session
  if (goodbye !== null) session.goodbye = { ...goodbye, awaiting: goodbye.awaiting.delete(sessionId) }
  if (participant === undefined || participant.sessionId !== sessionId) return
  session.members = session.members.delete(presence.participantId)
  session.rosterVersion += 1
  if (options.announce) tell(work, { type: 'participant-left', participant, reason })
}

/** A hello from someone else: admit a new session, replace an older one, or ignore a stale one. */
export function greet(work: Work, linkId: LinkId, hello: HelloMessage, announce: boolean, at?: number): void {
  const { context, session } = work
  if (hello.meetingId !== context.setup.meetingId) {
    const error = MeetingError.invalidMessage(
      `hello for meeting "${hello.meetingId}" arrived in "${context.setup.meetingId}"`,
      {
        linkId,
        participantId: hello.participant.id,
      },
    )
    tell(work, { type: 'error', error })
    return
  }
  if (session.expected !== null) session.expected = session.expected.delete(linkId)
  const known = session.presence.get(hello.session)
  if (known !== undefined) {
    if (hello.ask) sendHello(work, linkId, false)
    return
  }
  const departed = session.departed.get(hello.session)
  if (departed !== undefined && (departed.final || hello.seq <= departed.lastSeq)) return
  const current = session.members.get(hello.participant.id)
  if (current !== undefined) {
    const currentPresence = session.presence.get(current.sessionId)
    if (
      currentPresence !== undefined &&
      !isNewerSession(hello, { joinedAt: currentPresence.joinedAt, session: current.sessionId })
    ) {
      // An older session of someone whose newer session we already know: it is about to step down.
      return
    }
    // Not final: the newer session may vanish before the older one ever hears of it (a second tab
    // closed at once), and then the older one, still here, must be let back in when it speaks again.
    depart(work, current.sessionId, 'disconnected', { final: false, announce })
  }
  admit(work, linkId, hello, announce, at)
  sendHello(work, linkId, false)
}

/**
 * Declares gone every session silent for its whole allowance, in our own ticks and by the wall clock
 * (`now`, on the clock arrivals are stamped with; `undefined`: ticks alone).
 */
export function sweep(work: Work, now: number | undefined): void {
  const { context, session } = work
  const { timing } = context.setup
  const silence = { tick: session.tick, now, connected: session.signalling }
  const gone: string[] = []
  for (const [sessionId, presence] of session.presence.entries()) {
    if (isSilentTooLong(timing, presence, floorIntervalMs(session, sessionId), silence)) gone.push(sessionId)
  }
  for (const sessionId of gone) depart(work, sessionId, 'disconnected', { final: false, announce: true })
  forgetOldDepartures(work)
}

/**
 * Departures are remembered only to recognise stale or duplicated traffic of a session that went; long
 * after, none of it is in flight any more, and keeping every session that ever left would grow without
 * bound in a long meeting with people coming and going. A removal stays: it is handed back whenever the
 * removed session still speaks.
 */
const FORGET_DEPARTURES_AFTER = 10 // departure timeouts

export function forgetOldDepartures(work: Work): void {
  const { session } = work
  const { timing } = work.context.setup
  const forgetTicks = Math.ceil((FORGET_DEPARTURES_AFTER * timing.departureTimeoutMs) / timing.tickMs)
  const old: string[] = []
  for (const [sessionId, departure] of session.departed.entries()) {
    if (departure.removal === undefined && session.tick - departure.atTick >= forgetTicks) old.push(sessionId)
  }
  for (const sessionId of old) session.departed = session.departed.delete(sessionId)
}

/** Every session currently present: those a goodbye waits for. */
export function presentSessions(work: Work): PersistentMap<string, true> {
  let awaiting = PersistentMap.empty<string, true>()
  for (const [sessionId] of work.session.presence.entries()) awaiting = awaiting.set(sessionId, true)
  return awaiting
}

/**
 * The session on a link: the one whose link it still is, else (a transport's `presence-gone` follows
 * its `link-down`) the one that still names it. A scan: only link and presence events ask, never a message.
 */
export function sessionOnLink(context: MeetingContext, linkId: LinkId): string | undefined {
  let named: string | undefined
  const { session } = context
  for (const [sessionId, presence] of session.presence.entries()) {
    if (presence.linkId !== linkId) continue
    if (isLinked(session, sessionId)) return sessionId
    named ??= sessionId
  }
  return named
}

/** The session whose link this still is (none once it went down). */
export function linkedSession(context: MeetingContext, linkId: LinkId): string | undefined {
  const { session } = context
  for (const [sessionId, presence] of session.presence.entries())
    if (presence.linkId === linkId && isLinked(session, sessionId)) return sessionId
  return undefined
}

/** The link went down: no session is on it any more (it may come back on another; heartbeats decide). */
export function unlink(work: Work, linkId: LinkId): void {
  const { session } = work
  const unlinked: string[] = []
  for (const [sessionId, present] of session.presence.entries())
    if (present.linkId === linkId && isLinked(session, sessionId)) unlinked.push(sessionId)
  for (const sessionId of unlinked) session.unlinked = session.unlinked.set(sessionId, true)
}
