import { MeetingError } from './MeetingError.js'
import type { ParticipantRole } from './participant.js'
import { MAX_ID_LENGTH, MAX_TOKEN_LENGTH } from './wire/limits.js'

/** Bumped on any incompatible change of the messages below. */
export const PROTOCOL_VERSION = 1

/** Longest id or name a peer may send; longer ones are rejected rather than truncated. */
export { MAX_ID_LENGTH }
export const MAX_NAME_LENGTH = 256

/** What every message carries. */
export interface WireEnvelope {
  v: typeof PROTOCOL_VERSION
  /** The sender's session: a fresh id per join. */
  session: string
  /** Per-session sequence number, so stale and duplicated messages can be told apart. */
  seq: number
}

export interface HelloMessage extends WireEnvelope {
  type: 'hello'
  meetingId: string
  participant: { id: string; name: string; role: ParticipantRole }
  /** When the sender's session started (its own clock); on a duplicate id the newest session wins. */
  joinedAt: number
  /** The sender's heartbeat interval: receivers never declare it gone in fewer than a few of these. */
  heartbeatIntervalMs: number
  /** Asks the receiver to answer with its own hello (it saw traffic from a session it did not know). */
  ask?: boolean
  /** Credentials for receivers that verify who is speaking (see the security guide). */
  token?: string
  /**
   * With auth: the sender's signature, by the key its token's `cnf.jwk` names, over this hello's
   * identity and the two addresses of the link it is sent on (see `auth/helloProof.ts`). base64url.
   */
  proof?: string
  /** The sender's microphone and camera, so a late joiner sees them as they are. Absent: both on. */
  media?: MediaState
}

/** Whether a participant's microphone and camera are on. */
export interface MediaState {
  mic: boolean
  webcam: boolean
}

/** The sender turned its microphone or camera on or off; carries both, so the newest one wins whole. */
export interface MediaMessage extends WireEnvelope, MediaState {
  type: 'media'
}

export interface LeaveMessage extends WireEnvelope {
  type: 'leave'
}

export interface EndMessage extends WireEnvelope {
  type: 'end'
  /** The host session that ended the meeting; a relayed END keeps the original origin. */
  origin: string
}

export interface RemoveMessage extends WireEnvelope {
  type: 'remove'
  /** The host session that ordered the removal. */
  origin: string
  /** The participant id to remove. */
  target: string
  /**
   * The session of theirs being removed, so a REMOVE still in flight cannot take out the same person's
   * next session (a quick rejoin). Absent from senders that predate it: then any session of `target`.
   */
  targetSession?: string
}

export interface HeartbeatMessage extends WireEnvelope {
  type: 'heartbeat'
  /**
   * How late the sender's heartbeat timer fired (ms past its interval), when it was late: a starved
   * sender says so, and its receivers give its silences more time (`departureDetector`). Absent: on time.
   */
  late?: number
}

/** Confirms a LEAVE or END, so the sender can stop retransmitting and go. */
export interface AckMessage extends WireEnvelope {
  type: 'ack'
  ackOf: 'leave' | 'end'
}

/**
 * How core asks for a message to travel, one per kind of message (`MESSAGE_KINDS` below), so a transport
 * with more than one way to send needs no list of its own. A transport with one way may ignore it:
 * every message is fine sent once, reliably and in order.
 * - `'ordered'`: reliably, in order with the others (hellos, media changes).
 * - `'expendable'`: a heartbeat: the next one supersedes it, so it may be lost, repeated or overtake
 *   others; better a path where a lost packet holds nothing back.
 * - `'vital'`: a goodbye, a command or its acknowledgement: core resends it until acknowledged and
 *   drops copies on arrival, so a transport may send it along more than one path at once; the sender
 *   closes its links soon after, whether or not it got through.
 */
export type Delivery = 'ordered' | 'expendable' | 'vital'

type Fail = (reason: string) => never

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function text(value: unknown, field: string, max: number, fail: Fail): string {
  if (typeof value !== 'string') return fail(`\`${field}\` must be a string`)
  if (value.length === 0 || value.length > max) fail(`\`${field}\` must be 1-${max} characters`)
  return value
}

function count(value: unknown, field: string, fail: Fail, min = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    return fail(`\`${field}\` must be an integer >= ${min}`)
  }
  return value
}

function flag(value: unknown, field: string, fail: Fail): boolean {
  if (typeof value !== 'boolean') return fail(`\`${field}\` must be a boolean`)
  return value
}

function mediaState(value: unknown, field: string, fail: Fail): MediaState {
  if (!isRecord(value)) return fail(`\`${field}\` must be an object`)
  const raw = value
  return { mic: flag(raw.mic, `${field}.mic`, fail), webcam: flag(raw.webcam, `${field}.webcam`, fail) }
}

function role(value: unknown, fail: Fail): ParticipantRole {
  if (value !== 'host' && value !== 'participant')
    return fail('`participant.role` must be "host" or "participant"')
  return value
}

/**
 * Every kind of message, in one table: how one is read (after the envelope) and how a session treats
 * it. `WireMessage`, `WireMessageType`, the parser, the statechart's `peer.*` events (`peerEvents.ts`)
 * and the rules below all come from here; a new kind is a new interface above and a new row.
 *
 * - `urgent`: sent at once, never queued behind a hello still being signed (a page being closed gets
 *   one synchronous chance to send its goodbye).
 * - `parting`: the sender is going, or confirming a goodbye: from a session we do not know it earns
 *   neither our hello nor a removal handed back.
 * - `delivery`: how the transport is asked to carry it (`Delivery`).
 */
const MESSAGE_KINDS = {
  hello: { read: readHello, urgent: false, parting: false, delivery: 'ordered' },
  heartbeat: { read: readHeartbeat, urgent: false, parting: false, delivery: 'expendable' },
  leave: {
    read: (_, session, seq): LeaveMessage => ({ v, session, seq, type: 'leave' }),
    urgent: true,
    parting: true,
    delivery: 'vital',
  },
  ack: { read: readAck, urgent: true, parting: true, delivery: 'vital' },
  end: {
    read: (raw, session, seq, fail): EndMessage => ({
      v,
      session,
      seq,
      type: 'end',
      origin: text(raw.origin, 'origin', MAX_ID_LENGTH, fail),
    }),
    urgent: true,
    parting: false,
    delivery: 'vital',
  },
  remove: { read: readRemove, urgent: false, parting: false, delivery: 'vital' },
  media: { read: readMedia, urgent: false, parting: false, delivery: 'ordered' },
} as const satisfies { [M in WireMessage as M['type']]: MessageKind<M> }

interface MessageKind<M extends WireEnvelope = WireEnvelope & { type: string }> {
  read(raw: Record<string, unknown>, session: string, seq: number, fail: Fail): M
  urgent: boolean
  parting: boolean
  delivery: Delivery
}

/**
 * Every message a peer may send, as read by `parseWireMessage`. Spelled out so that the published
 * declarations name only public interfaces; the table must have exactly one row per member, whose
 * reader returns that member (`satisfies` on `MESSAGE_KINDS` checks both ways).
 */
export type WireMessage =
  | HelloMessage
  | HeartbeatMessage
  | LeaveMessage
  | AckMessage
  | EndMessage
  | RemoveMessage
  | MediaMessage
export type WireMessageType = WireMessage['type']

/** How a session treats a kind of message (see the table). */
export const messageKind = (type: WireMessageType): MessageKind => MESSAGE_KINDS[type]

const isKind = (type: unknown): type is WireMessageType =>
  typeof type === 'string' && Object.hasOwn(MESSAGE_KINDS, type)

/**
 * Reads one inbound message field by field. Whatever a peer sends, this either returns a well-formed
 * message (with only the known fields copied) or throws a `MeetingError`; nothing else escapes.
 */
export function parseWireMessage(data: unknown, linkId?: string): WireMessage {
  const fail: Fail = (reason) => {
    throw MeetingError.invalidMessage(reason, linkId === undefined ? {} : { linkId })
  }
  if (!isRecord(data)) return fail('a message must be a JSON object')
  const raw = data
  if (raw.v !== PROTOCOL_VERSION) {
    throw new MeetingError(
      'PROTOCOL_VERSION',
      `Peer speaks protocol version ${JSON.stringify(raw.v)?.slice(0, 20)}; this build speaks ${PROTOCOL_VERSION}.`,
      linkId === undefined ? {} : { details: { linkId } },
    )
  }
  const session = text(raw.session, 'session', MAX_ID_LENGTH, fail)
  const seq = count(raw.seq, 'seq', fail)
  const { type } = raw
  if (!isKind(type)) return fail(`unknown message type ${JSON.stringify(type)?.slice(0, 40)}`)
  return MESSAGE_KINDS[type].read(raw, session, seq, fail)
}

// Literal objects, not `{ ...envelope, … }`: V8 takes a slow path for keys added after a spread, and
// these run for every message a meeting receives.
const v = PROTOCOL_VERSION

function readHello(raw: Record<string, unknown>, session: string, seq: number, fail: Fail): HelloMessage {
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

function readHeartbeat(
  raw: Record<string, unknown>,
  session: string,
  seq: number,
  fail: Fail,
): HeartbeatMessage {
  return raw.late === undefined
    ? { v, session, seq, type: 'heartbeat' }
    : { v, session, seq, type: 'heartbeat', late: count(raw.late, 'late', fail) }
}

function readRemove(raw: Record<string, unknown>, session: string, seq: number, fail: Fail): RemoveMessage {
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

function readAck(raw: Record<string, unknown>, session: string, seq: number, fail: Fail): AckMessage {
  if (raw.ackOf !== 'leave' && raw.ackOf !== 'end') return fail('`ackOf` must be "leave" or "end"')
  return { v, session, seq, type: 'ack', ackOf: raw.ackOf }
}

function readMedia(raw: Record<string, unknown>, session: string, seq: number, fail: Fail): MediaMessage {
  return {
    v,
    session,
    seq,
    type: 'media',
    mic: flag(raw.mic, 'mic', fail),
    webcam: flag(raw.webcam, 'webcam', fail),
  }
}
