import { isMeetingError, MeetingError } from '@convene/core'
import { DirectoryRefusal, fetchRoom } from './fetchRoom.js'

/**
 * Why a session's signalling connection closed before it ever opened: the PeerServer refused it
 * (`AUTH_FAILED`, with the reason), or the server cannot be reached at all (`JOIN_FAILED`, with the
 * network's reason, such as `connect ECONNREFUSED`); `null` when the server is up and lets anyone in.
 *
 * `@convene/server` with `auth` refuses a connection without a valid proof of possession with HTTP
 * 401 on the WebSocket upgrade, but a browser's WebSocket never shows the status of a refused
 * upgrade: it just closes. So ask the same server's room directory, which answers over plain HTTP:
 * - with a signed credential, with the same token and a fresh directory proof by the same key. A
 *   refusal of the token (expired, another meeting) or of the proof (`INVALID_PROOF`: the token names
 *   another key, or this clock is far off) is the reason; if both hold, the server refused this
 *   session's signalling proof alone.
 * - without one, with no credentials. A 401 means the server checks tokens, so it wants a proof this
 *   session cannot give (it has no key: the app gave a token string, not a token function).
 */
export async function explainRefusal(
  directoryUrl: string,
  meetingId: string,
  credentials: (() => Promise<Record<string, string>>) | undefined,
): Promise<MeetingError | null> {
  const refused = 'The PeerServer refused the signalling connection (HTTP 401)'
  try {
    await fetchRoom(directoryUrl, meetingId, credentials ? await credentials() : {})
  } catch (error) {
    if (!isMeetingError(error) || error.code !== 'AUTH_FAILED') return unreachable(directoryUrl, error)
    if (credentials === undefined) {
      const why =
        'this server checks tokens and asks every connection for a proof of possession, which a ' +
        'session without a key-bound token (a token function) cannot give'
      return new MeetingError('AUTH_FAILED', `${refused}: ${why}.`, { cause: error })
    }
    const cause = error.cause instanceof DirectoryRefusal ? error.cause : null
    const why =
      cause?.code === 'INVALID_PROOF'
        ? "it refused this session's proof of possession, and the room directory, asked with a fresh " +
          `one, answers "${cause.reason}" (a token bound to another key, a signature that does not ` +
          'verify, or a clock far off)'
        : error.message
    return new MeetingError('AUTH_FAILED', `${refused}: ${why}.`, { cause: error })
  }
  if (credentials === undefined) return null
  return new MeetingError(
    'AUTH_FAILED',
    `${refused}: the server is up and accepts the token and this session's proof of possession for the ` +
      "room directory, so it refused this session's signalling proof (made again by someone else first?).",
  )
}

/** The server did not answer over HTTP either: down, or not where the options say. */
function unreachable(directoryUrl: string, error: unknown): MeetingError {
  // Node's fetch says only "fetch failed"; its cause says why (connect ECONNREFUSED 127.0.0.1:9000).
  const cause = (error as { cause?: { message?: unknown } } | null)?.cause?.message
  const why = typeof cause === 'string' ? cause : error instanceof Error ? error.message : String(error)
  const origin = /^https?:\/\/[^/]+/.exec(directoryUrl)?.[0] ?? directoryUrl
  return new MeetingError('JOIN_FAILED', `Could not reach the Convene server at ${origin}: ${why}.`, {
    cause: error,
  })
}
