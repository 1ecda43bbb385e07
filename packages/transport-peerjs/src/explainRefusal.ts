import { isMeetingError, MeetingError } from '@convene/core'
import { fetchRoom } from './fetchRoom.js'

/**
 * Why a session's signalling connection closed before it ever opened, when the answer is that the
 * PeerServer refused it (`AUTH_FAILED`); `null` otherwise (server down: PeerJS's network error says it).
 *
 * `@convene/server` with `auth` refuses a connection without a valid proof of possession with HTTP
 * 401 on the WebSocket upgrade, but a browser's WebSocket never shows the status of a refused
 * upgrade: it just closes. So ask the same server's room directory, which answers over plain HTTP:
 * - with a signed credential, with the same token. A refusal of the token (expired, another meeting)
 *   is the reason; if it accepts the token, the server is up and the token good, so what the
 *   PeerServer refused is the proof: the token names another key, or this clock is far off.
 * - without one, with no token. A 401 means the server checks tokens, so it wants a proof this
 *   session cannot give (it has no key: the app gave a token string, not a token function).
 */
export async function explainRefusal(
  directoryUrl: string,
  meetingId: string,
  signedWith: string | undefined,
): Promise<MeetingError | null> {
  const refused = 'The PeerServer refused the signalling connection (HTTP 401)'
  try {
    await fetchRoom(directoryUrl, meetingId, signedWith)
  } catch (error) {
    if (!isMeetingError(error) || error.code !== 'AUTH_FAILED') return null
    const why =
      signedWith === undefined
        ? 'this server checks tokens and asks every connection for a proof of possession, which a ' +
          'session without a key-bound token (a token function) cannot give'
        : error.message
    return new MeetingError('AUTH_FAILED', `${refused}: ${why}.`, { cause: error })
  }
  if (signedWith === undefined) return null
  return new MeetingError(
    'AUTH_FAILED',
    `${refused}: the server is up and accepts the token, so it refused this session's proof of ` +
      'possession (a token bound to another key, a signature that does not verify, or a clock far off).',
  )
}
