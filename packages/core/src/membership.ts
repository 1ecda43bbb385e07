import { authRequired, type MeetingContext, type MeetingTiming, type Presence } from './context.js'
import { allowanceMs, CEILING_FLOORS, floorMs, initialGaps, observeArrival } from './departureDetector.js'
import { MeetingError } from './MeetingError.js'
import { PersistentMap } from './PersistentMap.js'
import type { HelloMessage, RemoveMessage, WireMessage } from './protocol.js'
import type { LinkId } from './transport.js'
import type { Participant, ParticipantLeftReason } from './types.js'
import { sendHello, type Work } from './work.js'

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
  const { ctx } = work
  const presence = ctx.presence.get(message.session)
  if (presence === undefined) {
    const departed = ctx.departed.get(message.session)
    const stale = departed !== undefined && (departed.final || message.seq <= departed.lastSeq)
    if (departed?.removal !== undefined && message.type !== 'leave' && message.type !== 'ack') {
      // A removed session still speaking missed its REMOVE: introduce ourselves (it may have dropped us
      // meanwhile and would not trust the command) and hand it over again. With auth only its origin
      // does: a copy from anyone else is refused there (see `obeyCommand`).
      if (authRequired(ctx) && departed.removal.session !== ctx.local.sessionId) return false
      sendHello(work, linkId, false)
      work.sends.push({ message: departed.removal, to: linkId })
    } else if (!stale && message.type !== 'hello' && message.type !== 'leave' && message.type !== 'ack') {
      sendHello(work, linkId, true)
    }
    return false
  }
  // The same session on a new link (after a reconnect): media may follow it there.
  if (presence.linkId !== linkId) admitLink(work, linkId)
  ctx.presence = ctx.presence.set(message.session, {
    ...presence,
    linkId,
    lastSeq: Math.max(presence.lastSeq, message.seq),
    lastHeardTick: ctx.tick,
    gaps: observeArrival(presence.gaps, at, allowanceCeilingMs(ctx.setup.timing, presence.intervalMs)),
  })
  if (presence.linkId !== linkId) ctx.links = ctx.links.set(linkId, message.session)
  return true
}

function admit(work: Work, linkId: LinkId, hello: HelloMessage, announce: boolean, at?: number): void {
  const { ctx } = work
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
    sessionId: hello.session,
    participantId: participant.id,
    linkId,
    intervalMs: hello.heartbeatIntervalMs,
    joinedAt: hello.joinedAt,
    lastSeq: hello.seq,
    lastHeardTick: ctx.tick,
    gaps: initialGaps(hello.heartbeatIntervalMs, at),
    mediaSeq: hello.seq,
  }
  ctx.presence = ctx.presence.set(hello.session, presence)
  ctx.links = ctx.links.set(linkId, hello.session)
  ctx.members = ctx.members.set(participant.id, participant)
  ctx.departed = ctx.departed.delete(hello.session)
  ctx.rosterVersion += 1
  admitLink(work, linkId)
  if (announce) work.emits.push({ type: 'participant-joined', participant })
}

const allowanceCeilingMs = (timing: MeetingTiming, intervalMs: number) =>
  CEILING_FLOORS * floorMs(timing, intervalMs)

/** Removes a remote session from the roster; `announce` says whether the app is told. */
export function depart(
  work: Work,
  sessionId: string,
  reason: ParticipantLeftReason,
  options: { final: boolean; announce: boolean; removal?: RemoveMessage },
): void {
  const { ctx } = work
  const presence = ctx.presence.get(sessionId)
  if (presence === undefined) return
  ctx.presence = ctx.presence.delete(sessionId)
  if (ctx.links.get(presence.linkId) === sessionId) ctx.links = ctx.links.delete(presence.linkId)
  const role = ctx.members.get(presence.participantId)?.role
  ctx.departed = ctx.departed.set(sessionId, {
    lastSeq: presence.lastSeq,
    final: options.final,
    atTick: ctx.tick,
    ...(role === undefined ? {} : { role }),
    ...(options.removal === undefined ? {} : { removal: options.removal }),
  })
  if (ctx.expected !== null) ctx.expected = ctx.expected.delete(presence.linkId)
  if (ctx.goodbye !== null) ctx.goodbye = { ...ctx.goodbye, awaiting: ctx.goodbye.awaiting.delete(sessionId) }
  const participant = ctx.members.get(presence.participantId)
  if (participant === undefined || participant.sessionId !== sessionId) return
  ctx.members = ctx.members.delete(presence.participantId)
  ctx.rosterVersion += 1
  if (options.announce) work.emits.push({ type: 'participant-left', participant, reason })
}

/** A hello from someone else: admit a new session, replace an older one, or ignore a stale one. */
export function greet(work: Work, linkId: LinkId, hello: HelloMessage, announce: boolean, at?: number): void {
  const { ctx } = work
  if (hello.meetingId !== ctx.setup.meetingId) {
    const error = MeetingError.invalidMessage(
      `hello for meeting "${hello.meetingId}" arrived in "${ctx.setup.meetingId}"`,
      {
        linkId,
        participantId: hello.participant.id,
      },
    )
    work.emits.push({ type: 'error', error })
    return
  }
  if (ctx.expected !== null) ctx.expected = ctx.expected.delete(linkId)
  const known = ctx.presence.get(hello.session)
  if (known !== undefined) {
    if (hello.ask) sendHello(work, linkId, false)
    return
  }
  const departed = ctx.departed.get(hello.session)
  if (departed !== undefined && (departed.final || hello.seq <= departed.lastSeq)) return
  const current = ctx.members.get(hello.participant.id)
  if (current !== undefined) {
    const currentPresence = ctx.presence.get(current.sessionId)
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

/** Declares gone every session silent for longer than its allowance, counted in our own ticks. */
export function sweep(work: Work): void {
  const { ctx } = work
  const gone: string[] = []
  for (const presence of ctx.presence.values()) {
    const allowance = allowanceMs(ctx.setup.timing, presence.intervalMs, presence.gaps)
    if ((ctx.tick - presence.lastHeardTick) * ctx.setup.timing.tickMs >= allowance)
      gone.push(presence.sessionId)
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
  const { ctx } = work
  const forgetTicks = Math.ceil(
    (FORGET_DEPARTURES_AFTER * ctx.setup.timing.departureTimeoutMs) / ctx.setup.timing.tickMs,
  )
  const old: string[] = []
  for (const [sessionId, departure] of ctx.departed.entries()) {
    if (departure.removal === undefined && ctx.tick - departure.atTick >= forgetTicks) old.push(sessionId)
  }
  for (const sessionId of old) ctx.departed = ctx.departed.delete(sessionId)
}

/** Every session currently present: those a goodbye waits for. */
export function presentSessions(work: Work): PersistentMap<string, true> {
  let awaiting = PersistentMap.empty<string, true>()
  for (const presence of work.ctx.presence.values()) awaiting = awaiting.set(presence.sessionId, true)
  return awaiting
}

/**
 * The session last heard on a link. A link that went down is no longer mapped, and a transport's
 * `presence-gone` follows its `link-down`: then the presence that still names the link is found.
 */
export function sessionOnLink(ctx: MeetingContext, linkId: LinkId): string | undefined {
  const mapped = ctx.links.get(linkId)
  if (mapped !== undefined) return mapped
  for (const presence of ctx.presence.values()) if (presence.linkId === linkId) return presence.sessionId
  return undefined
}
