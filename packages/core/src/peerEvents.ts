import type { GatedMessage } from './auth/gateHellos.js'
import { MeetingError } from './MeetingError.js'
import { messageKind } from './messageKinds.js'
import { parseWireMessage } from './parseWireMessage.js'
import type { WireMessage, WireMessageType } from './protocol.js'
import type { LinkId } from './transport.js'

// The step before the statechart: each message a peer sends is parsed and typed here, so that the
// statechart takes one step per message, on an event it can judge with guards (`peer.hello`, …).

/** A valid message from a peer, typed by its kind; `at` is when it arrived (ms since the session started, wall clock). */
export type PeerMessageEvent = {
  [TType in WireMessageType]: {
    type: `peer.${TType}`
    linkId: LinkId
    message: Extract<WireMessage, { type: TType }>
    at?: number
  }
}[WireMessageType]

/** What the statechart hears from peers: a message, or why one was not taken. */
export type PeerEvent =
  | PeerMessageEvent
  /** Invalid, refused by the hello gate, or a hello without a verified token: reported, changes nothing. */
  | { type: 'peer.refused'; linkId: LinkId; error: MeetingError }
  /** Heard on a link no hello was verified on (with auth): nothing it says counts until one is. */
  | { type: 'peer.unverified'; linkId: LinkId; session: string }

// What a peer or transport throws is untrusted too: `String()` itself throws on a null-prototype object
// or a throwing `toString`, and a throw here would take the whole meeting down.
export function printable(value: unknown): string {
  try {
    return String(value)
  } catch {
    return `an unprintable ${typeof value}`
  }
}

// `peer.<kind>` for each kind of messageKinds.ts's table. TypeScript cannot pair a kind's event type with
// its message type through the table, hence the one cast.
function typed(linkId: LinkId, message: WireMessage, at: number | undefined): PeerMessageEvent {
  return { type: messageKind(message.type).event, linkId, message, at } as PeerMessageEvent
}

/**
 * Parses one message heard on a link (after the hello gate, with auth) into the event the statechart
 * takes; `null` for our own session's echo. With auth, a hello counts only with its verified identity,
 * and its role is the token's, never the sender's say-so. `at`: when it arrived, passed apart (a copy
 * of `heard` with `at` added would get a hidden class of its own from V8, at every message).
 */
export function toPeerEvent(
  heard: GatedMessage,
  own: { sessionId: string; verified: boolean },
  at?: number,
): PeerEvent | null {
  const { linkId } = heard
  if (heard.refused) return { type: 'peer.refused', linkId, error: heard.refused }
  let message: WireMessage
  try {
    message = parseWireMessage(heard.data, linkId)
  } catch (error) {
    const reported =
      error instanceof MeetingError ? error : MeetingError.invalidMessage(printable(error), { linkId })
    return { type: 'peer.refused', linkId, error: reported }
  }
  if (message.session === own.sessionId) return null
  // Heard on a channel that has not proved who speaks on it (its hello was lost, or someone else holds
  // the address now): the statechart asks for a hello.
  if (heard.unverified) return { type: 'peer.unverified', linkId, session: message.session }
  if (own.verified && message.type === 'hello') {
    const { identity } = heard
    if (identity?.participantId !== message.participant.id) {
      const error = new MeetingError('AUTH_FAILED', 'Refused a message: hello without a verified token.', {
        details: { linkId },
      })
      return { type: 'peer.refused', linkId, error }
    }
    message = { ...message, participant: { ...message.participant, role: identity.role } }
  }
  return typed(linkId, message, at)
}
