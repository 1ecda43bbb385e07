/**
 * Convene peer ids have the form `cv-<meeting>-<participant>-<session>`, each part the lowercase hex of
 * its UTF-8 bytes. `@convene/transport-peerjs` builds them; the server only reads the meeting part, so
 * the room directory rebuilds itself from PeerServer connections (also after a server restart) and no
 * separate, forgeable registration call is needed. Hex keeps ids inside PeerJS's id alphabet and makes
 * the encoding injective: no crafted meeting id can collide with another meeting's key.
 */
const PREFIX = 'cv-'

/** The directory key of a meeting: the hex of its UTF-8 bytes. */
export function meetingKey(meetingId: string): string {
  let hex = ''
  for (const byte of new TextEncoder().encode(meetingId)) hex += byte.toString(16).padStart(2, '0')
  return hex
}

/** The meeting key a Convene peer id carries, or `null` for ids that are not Convene's. */
export function meetingKeyOfPeerId(peerId: string): string | null {
  if (!peerId.startsWith(PREFIX)) return null
  const end = peerId.indexOf('-', PREFIX.length)
  if (end <= PREFIX.length) return null
  const key = peerId.slice(PREFIX.length, end)
  return /^(?:[0-9a-f]{2})+$/.test(key) ? key : null
}
