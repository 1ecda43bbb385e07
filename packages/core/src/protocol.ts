import type { ParticipantRole } from './participant.js'
import { MESSAGE_PROTOCOL_VERSION } from './wire/endCommand.js'
import { MAX_ID_LENGTH, MAX_NAME_LENGTH } from './wire/limits.js'

/** Bumped on any incompatible change of the messages below (kept in `wire/`, which servers read too). */
export const PROTOCOL_VERSION = MESSAGE_PROTOCOL_VERSION

/** Longest id or name a peer may send; longer ones are rejected rather than truncated. */
export { MAX_ID_LENGTH, MAX_NAME_LENGTH }

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
  /** The microphone is on (VideoSDK's `micOn`). */
  mic: boolean
  /** The camera is on (VideoSDK's `webcamOn`). */
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
 * How core asks for a message to travel, one per kind of message (`MESSAGE_KINDS` in `messageKinds.ts`), so a transport
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

/**
 * Every message a peer may send, as read by `parseWireMessage`. Spelled out so that the published
 * declarations name only public interfaces; the table of kinds (`messageKinds.ts`) must have exactly
 * one row per member, whose reader returns that member (`satisfies` on `MESSAGE_KINDS` checks both ways).
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
