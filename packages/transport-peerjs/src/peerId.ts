/**
 * Peer ids have the form `cv-<meeting>-<participant>-<session>`, each part the lowercase hex of its
 * UTF-8 bytes. `@convene/server` reads the meeting part to keep its room directory (keep both copies of
 * this format in step). Hex keeps ids inside PeerJS's id alphabet and makes the encoding injective, and
 * the session part is a fresh nonce per join, so a rejoin never finds its id still held by the server.
 */
const PREFIX = 'cv-'

/** The hex of a string's UTF-8 bytes. */
export function hexOf(text: string): string {
  let hex = ''
  for (const byte of new TextEncoder().encode(text)) hex += byte.toString(16).padStart(2, '0')
  return hex
}

/** This session's peer id. */
export function createPeerId(meetingId: string, participantId: string, sessionId: string): string {
  return `${PREFIX}${hexOf(meetingId)}-${hexOf(participantId)}-${hexOf(sessionId)}`
}

/** The meeting part of a Convene peer id, or `null` for ids that are not Convene's. */
export function meetingKeyOfPeerId(peerId: string): string | null {
  if (!peerId.startsWith(PREFIX)) return null
  const end = peerId.indexOf('-', PREFIX.length)
  if (end <= PREFIX.length) return null
  const key = peerId.slice(PREFIX.length, end)
  return /^(?:[0-9a-f]{2})+$/.test(key) ? key : null
}
