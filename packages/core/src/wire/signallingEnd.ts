import { type EndCommand, readEndCommand } from './endCommand.js'
import { isRecord, readFields } from './fieldReaders.js'
import { MAX_PEER_ID_LENGTH } from './limits.js'
import { parsePeerId } from './peerId.js'

/**
 * A host's END, also sent through the signalling server: a WebRTC data link can carry nothing for
 * seconds (a starved browser's network threads) while the PeerServer WebSocket (TCP) stays healthy,
 * and an END that only goes over that link may not arrive before the host stops resending it. The
 * PeerJS transport sends {@link SIGNALLING_END_TYPE} once per session over its PeerServer socket, and
 * `@convene/server` checks it and passes it to the other sessions of the meeting as
 * {@link SIGNALLING_ENDED_TYPE}, each received as if it had come on the host's own data link.
 *
 * Neither type is PeerJS's: PeerServer never relays a type it does not know, so only the server can
 * send an ENDED; PeerJS's client drops one (its payload names no connection).
 */

/** The `type` a session sends its own END to the signalling server with. */
export const SIGNALLING_END_TYPE = 'CONVENE-END'

/** The `type` the server passes a host's END on to the others of its meeting with. */
export const SIGNALLING_ENDED_TYPE = 'CONVENE-ENDED'

/**
 * Longest END text carried: an END names a session twice (at most {@link MAX_PEER_ID_LENGTH}'s ids,
 * escaped), with room to spare. Anything longer is not an END.
 */
export const MAX_END_TEXT_LENGTH = 4096

/** Client → server: this session's own END (core's `EndMessage` as JSON text). */
export interface SignallingEnd {
  readonly type: typeof SIGNALLING_END_TYPE
  readonly payload: string
}

/** Server → client: the END of the session at peer id `src`, as it sent it. */
export interface SignallingEnded {
  readonly type: typeof SIGNALLING_ENDED_TYPE
  readonly src: string
  readonly payload: string
}

/** What a session sends the server for its own END, whose JSON text is `endText`. */
export function signallingEnd(endText: string): SignallingEnd {
  return { type: SIGNALLING_END_TYPE, payload: endText }
}

/** What the server sends the others of a meeting for the END `endText` of the session at `src`. */
export function signallingEnded(src: string, endText: string): SignallingEnded {
  return { type: SIGNALLING_ENDED_TYPE, src, payload: endText }
}

/** An END as read from a signalling message: its text as sent, and what it says. */
export interface ReadEnd {
  readonly text: string
  readonly end: EndCommand
}

function readEndText(payload: unknown): { ok: true; value: ReadEnd } | { ok: false; reason: string } {
  if (typeof payload !== 'string' || payload.length > MAX_END_TEXT_LENGTH) {
    return { ok: false, reason: `the payload must be an END's JSON text of at most ${MAX_END_TEXT_LENGTH}` }
  }
  return readFields((fail) => ({ text: payload, end: readEndCommand(payload, fail) }))
}

/**
 * Reads a {@link SIGNALLING_END_TYPE} message as the server received it, from the session at
 * `senderPeerId` (PeerServer's client id, never what the message says): the END, or why it is refused.
 * The END must be the sender's own, in its own name: `session` and `origin` both its session id.
 * Whether the sender may end the meeting is the caller's to judge.
 */
export function readSignallingEnd(
  message: unknown,
  senderPeerId: string,
): { ok: true; value: ReadEnd } | { ok: false; reason: string } {
  if (!isRecord(message) || message.type !== SIGNALLING_END_TYPE) {
    return { ok: false, reason: `not a ${SIGNALLING_END_TYPE}` }
  }
  const sender = parsePeerId(senderPeerId)
  if (sender === null) return { ok: false, reason: 'the sender is not a Convene peer id' }
  const read = readEndText(message.payload)
  if (!read.ok) return read
  const { session, origin } = read.value.end
  if (session !== sender.sessionId || origin !== sender.sessionId) {
    return {
      ok: false,
      reason: "the END is not the sender's own (its session and origin must be the sender's)",
    }
  }
  return read
}

/**
 * Reads a {@link SIGNALLING_ENDED_TYPE} message as received by a session of `meetingId`: the sender's
 * peer id (a Convene peer id of that meeting) and its END, whose `session` and `origin` are that peer
 * id's session; `undefined` for anything else (another type, a missing or wrong field, another
 * meeting, an END in someone else's name): dropped whole. Other fields are ignored.
 */
export function readSignallingEnded(
  message: unknown,
  meetingId: string,
): { readonly src: string; readonly text: string; readonly end: EndCommand } | undefined {
  if (!isRecord(message) || message.type !== SIGNALLING_ENDED_TYPE) return undefined
  const { src } = message
  if (typeof src !== 'string' || src.length > MAX_PEER_ID_LENGTH) return undefined
  const sender = parsePeerId(src)
  if (sender === null || sender.meetingId !== meetingId) return undefined
  const read = readEndText(message.payload)
  if (!read.ok) return undefined
  const { session, origin } = read.value.end
  if (session !== sender.sessionId || origin !== sender.sessionId) return undefined
  return { src, ...read.value }
}
