import { identityByTransport, type MeetingContext, type SessionState } from './context.js'
import type { Participant } from './participant.js'
import { type HelloMessage, PROTOCOL_VERSION, type WireMessage } from './protocol.js'
import type { LinkId } from './transport.js'
import type { MeetingEmitted } from './types.js'

export type { MeetingEmitted }

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never
export type MessageBody = DistributiveOmit<WireMessage, 'v' | 'session' | 'seq'>

export interface Outbound {
  message: WireMessage
  to?: LinkId
}

/**
 * One event's worth of changes: a shallow copy of the session's bookkeeping that helpers update, plus
 * what to emit and send. The machine commits it as one `assign`, then the emits and sends, so every
 * handler stays a pure function of (context, event). The rest of the context is read, not copied.
 */
export interface Work {
  /** The context the event arrived in (read only). */
  readonly context: MeetingContext
  /** The session's bookkeeping after this event: a copy of `context.session` (or it, unchanged). */
  session: SessionState
  /** The local participant's new state, when this event changed it. */
  local?: Participant
  /** What the app is told (add with `tell`): a shared empty list until the first. */
  emits: readonly MeetingEmitted[]
  /** What goes out, in order (add with `send`, `sendHello` or `queue`): a shared empty list until the first. */
  sends: readonly Outbound[]
  /** Links whose session was just admitted (hello accepted): the transport may send them media now. */
  admits?: LinkId[]
}

// Most messages (heartbeats) neither tell the app nor send anything: they allocate no lists.
const NONE: readonly never[] = Object.freeze([])

export function beginWork(context: MeetingContext): Work {
  return { context, session: copySession(context.session), emits: NONE, sends: NONE }
}

// Field by field, not `{ ...session }`: every copy then has one hidden class, made by this one literal,
// however the session it copies was made (a spread of objects with differing classes takes V8's slow
// runtime path).
export function copySession(session: SessionState): SessionState {
  return {
    seq: session.seq,
    tick: session.tick,
    members: session.members,
    rosterVersion: session.rosterVersion,
    presence: session.presence,
    unlinked: session.unlinked,
    slowBeats: session.slowBeats,
    departed: session.departed,
    seenCommands: session.seenCommands,
    endConfirmed: session.endConfirmed,
    expected: session.expected,
    heldAdmits: session.heldAdmits,
    goodbye: session.goodbye,
    rejoinCutsGoodbye: session.rejoinCutsGoodbye,
    leaveReason: session.leaveReason,
    signalling: session.signalling,
  }
}

/** An event that changes nothing but reports an error to the app. */
export function reportOnly(context: MeetingContext, event: MeetingEmitted): Work {
  return { context, session: context.session, emits: [event], sends: NONE }
}

/** Tells the app, after this event's changes are committed. */
export function tell(work: Work, event: MeetingEmitted): void {
  if (work.emits === NONE) work.emits = [event]
  else (work.emits as MeetingEmitted[]).push(event)
}

/** Queues a message as it is (a command relayed, a removal handed back): no envelope of ours. */
export function queue(work: Work, outbound: Outbound): void {
  if (work.sends === NONE) work.sends = [outbound]
  else (work.sends as Outbound[]).push(outbound)
}

export function send(work: Work, body: MessageBody, to?: LinkId): void {
  // Not `{ ...body, v, session, seq }`: V8 (Node 20) takes a slow runtime path, about 1.5 µs, when an
  // object literal adds properties after a spread. Same keys, same order.
  const envelope = { v: PROTOCOL_VERSION, session: work.context.local.sessionId, seq: work.session.seq }
  const message = Object.assign({}, body, envelope) as WireMessage
  work.session.seq += 1
  queue(work, to === undefined ? { message } : { message, to })
}

/**
 * Credentials (token, proof) are added by the session on the way out: they are async and per link.
 * Over a transport that attests identity nobody sends hellos: the transport introduces every session.
 */
export function sendHello(work: Work, to: LinkId | undefined, ask: boolean): void {
  const ctx = work.context
  if (identityByTransport(ctx)) return
  const local = work.local ?? ctx.local
  const body: Omit<HelloMessage, 'v' | 'session' | 'seq'> = {
    type: 'hello',
    meetingId: ctx.setup.meetingId,
    participant: { id: local.id, name: local.name, role: local.role },
    joinedAt: ctx.joinedAt,
    heartbeatIntervalMs: ctx.setup.timing.tickMs,
    media: { mic: local.micOn, webcam: local.webcamOn },
  }
  // Added, not spread in: a spread in a literal takes V8's runtime path, and this runs on every join.
  if (ask) body.ask = ask
  send(work, body, to)
}
