import {
  type AckMessage,
  type EndMessage,
  type HeartbeatMessage,
  type HelloMessage,
  type LeaveMessage,
  type MediaMessage,
  PROTOCOL_VERSION,
  type RemoveMessage,
} from './protocol.js'
import { count, displayName, type Fail, flag, isRecord, mediaState, role, text } from './wire/fieldReaders.js'
import { MAX_ID_LENGTH, MAX_TOKEN_LENGTH } from './wire/limits.js'

// How each kind of message is read from a peer's untrusted JSON, with the field readers every wire
// format shares (`wire/fieldReaders.ts`): a reader copies only the fields it knows, and calls `fail`
// (which throws) for the first one that is wrong.

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
      name: displayName(p.name, 'participant.name', fail),
      role: role(p.role, 'participant.role', fail),
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
