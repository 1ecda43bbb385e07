import type { ParticipantRole } from './participant.js'
import {
  type AckMessage,
  type EndMessage,
  type HeartbeatMessage,
  type HelloMessage,
  type LeaveMessage,
  MAX_NAME_LENGTH,
  type MediaMessage,
  type MediaState,
  PROTOCOL_VERSION,
  type RemoveMessage,
} from './protocol.js'
import { MAX_ID_LENGTH, MAX_TOKEN_LENGTH } from './wire/limits.js'

// How each kind of message is read from a peer's untrusted JSON, field by field: a reader copies only
// the fields it knows, and calls `fail` (which throws) for the first one that is wrong.

export type Fail = (reason: string) => never

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function text(value: unknown, field: string, max: number, fail: Fail): string {
  if (typeof value !== 'string') return fail(`\`${field}\` must be a string`)
  if (value.length === 0 || value.length > max) fail(`\`${field}\` must be 1-${max} characters`)
  return value
}

export function count(value: unknown, field: string, fail: Fail, min = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    return fail(`\`${field}\` must be an integer >= ${min}`)
  }
  return value
}

export function flag(value: unknown, field: string, fail: Fail): boolean {
  if (typeof value !== 'boolean') return fail(`\`${field}\` must be a boolean`)
  return value
}

export function mediaState(value: unknown, field: string, fail: Fail): MediaState {
  if (!isRecord(value)) return fail(`\`${field}\` must be an object`)
  const raw = value
  return { mic: flag(raw.mic, `${field}.mic`, fail), webcam: flag(raw.webcam, `${field}.webcam`, fail) }
}

export function role(value: unknown, fail: Fail): ParticipantRole {
  if (value !== 'host' && value !== 'participant')
    return fail('`participant.role` must be "host" or "participant"')
  return value
}

// Literal objects, not `{ ...envelope, … }`: V8 takes a slow path for keys added after a spread, and
// these run for every message a meeting receives.
const v = PROTOCOL_VERSION

export function readHello(
  raw: Record<string, unknown>,
  session: string,
  seq: number,
  fail: Fail,
): HelloMessage {
  const participant = raw.participant
  if (!isRecord(participant)) return fail('`participant` must be an object')
  const p = participant
  const hello: HelloMessage = {
    v,
    session,
    seq,
    type: 'hello',
    meetingId: text(raw.meetingId, 'meetingId', MAX_ID_LENGTH, fail),
    participant: {
      id: text(p.id, 'participant.id', MAX_ID_LENGTH, fail),
      name:
        typeof p.name === 'string' && p.name.length === 0
          ? ''
          : text(p.name, 'participant.name', MAX_NAME_LENGTH, fail),
      role: role(p.role, fail),
    },
    joinedAt: count(raw.joinedAt, 'joinedAt', fail),
    heartbeatIntervalMs: count(raw.heartbeatIntervalMs, 'heartbeatIntervalMs', fail, 1),
  }
  if (raw.ask !== undefined) hello.ask = flag(raw.ask, 'ask', fail)
  if (raw.token !== undefined) hello.token = text(raw.token, 'token', MAX_TOKEN_LENGTH, fail)
  if (raw.proof !== undefined) hello.proof = text(raw.proof, 'proof', 256, fail)
  if (raw.media !== undefined) hello.media = mediaState(raw.media, 'media', fail)
  return hello
}

export function readHeartbeat(
  raw: Record<string, unknown>,
  session: string,
  seq: number,
  fail: Fail,
): HeartbeatMessage {
  return raw.late === undefined
    ? { v, session, seq, type: 'heartbeat' }
    : { v, session, seq, type: 'heartbeat', late: count(raw.late, 'late', fail) }
}

export function readLeave(_raw: Record<string, unknown>, session: string, seq: number): LeaveMessage {
  return { v, session, seq, type: 'leave' }
}

export function readEnd(raw: Record<string, unknown>, session: string, seq: number, fail: Fail): EndMessage {
  return { v, session, seq, type: 'end', origin: text(raw.origin, 'origin', MAX_ID_LENGTH, fail) }
}

export function readRemove(
  raw: Record<string, unknown>,
  session: string,
  seq: number,
  fail: Fail,
): RemoveMessage {
  const remove: RemoveMessage = {
    v,
    session,
    seq,
    type: 'remove',
    origin: text(raw.origin, 'origin', MAX_ID_LENGTH, fail),
    target: text(raw.target, 'target', MAX_ID_LENGTH, fail),
  }
  if (raw.targetSession !== undefined)
    remove.targetSession = text(raw.targetSession, 'targetSession', MAX_ID_LENGTH, fail)
  return remove
}

export function readAck(raw: Record<string, unknown>, session: string, seq: number, fail: Fail): AckMessage {
  if (raw.ackOf !== 'leave' && raw.ackOf !== 'end') return fail('`ackOf` must be "leave" or "end"')
  return { v, session, seq, type: 'ack', ackOf: raw.ackOf }
}

export function readMedia(
  raw: Record<string, unknown>,
  session: string,
  seq: number,
  fail: Fail,
): MediaMessage {
  return {
    v,
    session,
    seq,
    type: 'media',
    mic: flag(raw.mic, 'mic', fail),
    webcam: flag(raw.webcam, 'webcam', fail),
  }
}
