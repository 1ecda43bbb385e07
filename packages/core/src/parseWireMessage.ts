import { MeetingError } from './MeetingError.js'
import { isKind, MESSAGE_KINDS } from './messageKinds.js'
import { PROTOCOL_VERSION, type WireMessage } from './protocol.js'
import { count, FieldError, failField, isRecord, text } from './wire/fieldReaders.js'
import { MAX_ID_LENGTH } from './wire/limits.js'

/**
 * Reads one inbound message field by field. Whatever a peer sends, this either returns a well-formed
 * message (with only the known fields copied) or throws a `MeetingError`; nothing else escapes.
 */
export function parseWireMessage(data: unknown, linkId?: string): WireMessage {
  try {
    return readMessage(data, linkId)
  } catch (error) {
    if (error instanceof FieldError) {
      throw MeetingError.invalidMessage(error.reason, linkId === undefined ? {} : { linkId })
    }
    throw error
  }
}

// A field reader's refusal (`FieldError`) is made a `MeetingError` naming the link above.
const fail = failField

function readMessage(data: unknown, linkId: string | undefined): WireMessage {
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
