/** Every failure Convene reports carries one of these stable string codes. */
export type MeetingErrorCode =
  /**
   * An option given to `createMeeting` (or a transport factory) is invalid, or an argument of `on()` or
   * `subscribe()` is (an event name that does not exist, a listener that is not a function).
   */
  | 'INVALID_OPTION'
  /** `end()` or `removeParticipant()` was called while the meeting is not joined. */
  | 'NOT_JOINED'
  /** `end()` by a participant who is neither host nor the last one in the room. */
  | 'END_NOT_ALLOWED'
  /** `removeParticipant()` by a participant who is not a host. */
  | 'REMOVE_NOT_ALLOWED'
  /** `removeParticipant()` named nobody in the room. */
  | 'PARTICIPANT_NOT_FOUND'
  /** `leave()` was called while `join()` was still in flight. */
  | 'JOIN_CANCELLED'
  /** The transport did not become ready within `joinTimeoutMs`. */
  | 'JOIN_TIMEOUT'
  /** The transport failed while joining. */
  | 'JOIN_FAILED'
  /** The transport reported a failure after the meeting was joined. */
  | 'TRANSPORT_ERROR'
  /** An inbound message failed validation; it was dropped and changed nothing. */
  | 'INVALID_MESSAGE'
  /** An END or REMOVE came from a participant who is not a host; it was ignored. */
  | 'UNAUTHORIZED_COMMAND'
  /**
   * A peer speaks a protocol version this build does not understand, or the transport's server does
   * (the Socket.IO relay: `join()` rejects with this code, and the app should update one side).
   */
  | 'PROTOCOL_VERSION'
  /** A token failed verification (ours at join, or a peer's hello); nobody was admitted on it. */
  | 'AUTH_FAILED'
  /**
   * The server refused a packet for its size (the Socket.IO relay: WebSocket close 1009 or HTTP 413).
   * `join()` rejects with it when the handshake itself (address, name, token, proof) was too large: a
   * retry would send it again. Once joined, the packet was dropped and the session reconnects.
   */
  | 'MESSAGE_TOO_LARGE'
  /**
   * A hook of `@convene/react` was called outside a `<MeetingProvider>`: a programming error, thrown
   * while rendering. Wrap the component in a provider.
   */
  | 'NO_PROVIDER'

/** What a `MeetingError` was about, when it concerns a remote peer or a message. */
export interface MeetingErrorDetails {
  /** The transport link the offending message came from. Absent for errors not about a message. */
  linkId?: string
  /** The participant id the offending message (or command) named, if it could be read. Absent otherwise. */
  participantId?: string
  /** The option, or the argument of `on()` / `subscribe()`, that failed validation. Absent for other codes. */
  option?: string
}

/**
 * Marks every `MeetingError`, whichever copy of core made it: `Symbol.for` is one symbol per realm, so
 * the ES module and CommonJS builds (or two installed versions) share it where their classes differ.
 */
const BRAND = Symbol.for('@convene/core/MeetingError')

/**
 * The one error class of Convene. Match on `code`, never on `message`: codes are a stable contract,
 * messages are for people.
 */
export class MeetingError extends Error {
  override readonly name = 'MeetingError'
  readonly code: MeetingErrorCode
  readonly details: MeetingErrorDetails

  constructor(
    code: MeetingErrorCode,
    message: string,
    options: { cause?: unknown; details?: MeetingErrorDetails } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.details = options.details ?? {}
  }

  static invalidOption(option: string, message: string, cause?: unknown): MeetingError {
    return new MeetingError('INVALID_OPTION', `Invalid option \`${option}\`: ${message}`, {
      details: { option },
      ...(cause === undefined ? {} : { cause }),
    })
  }

  static notJoined(action: string): MeetingError {
    return new MeetingError('NOT_JOINED', `${action}() needs a joined meeting; join() first.`)
  }

  static invalidMessage(reason: string, details: MeetingErrorDetails = {}): MeetingError {
    return new MeetingError('INVALID_MESSAGE', `Dropped an invalid message: ${reason}`, { details })
  }
}

// On the prototype, not enumerable: invisible to JSON, spreads and console output.
Object.defineProperty(MeetingError.prototype, BRAND, { value: true })

/**
 * Whether `value` is a `MeetingError`, also one from another copy of `@convene/core` (its CommonJS
 * build next to the ES module one, or a second installed version), where `instanceof` says no.
 */
export function isMeetingError(value: unknown): value is MeetingError {
  if (value instanceof MeetingError) return true
  if (typeof value !== 'object' || value === null) return false
  const candidate = value as { [BRAND]?: unknown; name?: unknown; code?: unknown; message?: unknown }
  return (
    candidate[BRAND] === true &&
    candidate.name === 'MeetingError' &&
    typeof candidate.code === 'string' &&
    typeof candidate.message === 'string'
  )
}
