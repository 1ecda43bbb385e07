import type { EndReason, MeetingContext } from './context.js'
import { PROTOCOL_VERSION, type WireMessage } from './protocol.js'
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
 * One event's worth of changes: a shallow copy of the context that helpers update, plus what to emit
 * and send. The machine commits it as one `assign`, then the emits and sends, so every handler stays a
 * pure function of (context, event).
 */
export interface Work {
  ctx: MeetingContext
  emits: MeetingEmitted[]
  sends: Outbound[]
  /** Links whose session was just admitted (hello accepted): the transport may send them media now. */
  admits?: LinkId[]
}

export function beginWork(context: MeetingContext): Work {
  return { ctx: { ...context }, emits: [], sends: [] }
}

export function send(work: Work, body: MessageBody, to?: LinkId): void {
  // Not `{ ...body, v, session, seq }`: V8 (Node 20) takes a slow runtime path, about 1.5 µs, when an
  // object literal adds properties after a spread. Same keys, same order.
  const envelope = { v: PROTOCOL_VERSION, session: work.ctx.local.sessionId, seq: work.ctx.seq }
  const message = Object.assign({}, body, envelope) as WireMessage
  work.ctx.seq += 1
  work.sends.push(to === undefined ? { message } : { message, to })
}

/** Credentials (token, proof) are added by the session on the way out: they are async and per link. */
export function sendHello(work: Work, to: LinkId | undefined, ask: boolean): void {
  const { ctx } = work
  const body: MessageBody = {
    type: 'hello',
    meetingId: ctx.setup.meetingId,
    participant: { id: ctx.local.id, name: ctx.local.name, role: ctx.local.role },
    joinedAt: ctx.joinedAt,
    heartbeatIntervalMs: ctx.setup.timing.tickMs,
    media: { mic: ctx.local.micOn, webcam: ctx.local.webcamOn },
    ...(ask ? { ask } : {}),
  }
  send(work, body, to)
}

export function setLeaveReason(work: Work, reason: EndReason): void {
  work.ctx.leaveReason ??= reason
}
