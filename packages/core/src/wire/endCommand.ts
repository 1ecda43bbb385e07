import { count, type Fail, isRecord, text } from './fieldReaders.js'
import { MAX_ID_LENGTH } from './limits.js'

/**
 * The version of the messages peers exchange (core's `protocol.ts` names it `PROTOCOL_VERSION`): here,
 * with no dependency, so a server that reads one kind of message (the relay, an END) reads it by the
 * same rule as core. Bumped on any incompatible change of those messages.
 */
export const MESSAGE_PROTOCOL_VERSION = 1

/** A session's END of its meeting, as far as a server needs it: whose it is, and on whose behalf. */
export interface EndCommand {
  /** The session that sent it. */
  session: string
  /** The host session that ended the meeting (core obeys only its own END over a server-routed transport). */
  origin: string
}

/**
 * Reads the text of a message that should be an END (core's `EndMessage`, as JSON): a message of this
 * protocol version, of kind `end`, with its session, sequence number and origin. `fail` is called with
 * the first thing wrong: the relay refuses anything else sent as a meeting's end, and changes nothing.
 */
export function readEndCommand(data: string, fail: Fail): EndCommand {
  let raw: unknown
  try {
    raw = JSON.parse(data)
  } catch {
    return fail('an END is a JSON object')
  }
  if (!isRecord(raw)) return fail('an END is a JSON object')
  if (raw.v !== MESSAGE_PROTOCOL_VERSION) {
    return fail(`an END of protocol version ${MESSAGE_PROTOCOL_VERSION} (not ${String(raw.v).slice(0, 20)})`)
  }
  if (raw.type !== 'end') return fail(`\`type\` must be "end", not ${JSON.stringify(raw.type)?.slice(0, 40)}`)
  const session = text(raw.session, 'session', MAX_ID_LENGTH, fail)
  count(raw.seq, 'seq', fail)
  return { session, origin: text(raw.origin, 'origin', MAX_ID_LENGTH, fail) }
}
