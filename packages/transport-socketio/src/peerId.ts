/**
 * Addresses are Convene peer ids, `cv-<meeting>-<participant>-<session>`, each part the lowercase hex of
 * its UTF-8 bytes: the format `@convene/server` parses to know which meeting and participant an address
 * belongs to (the same as `@convene/transport-peerjs`'s; keep them in step).
 */
function hexOf(text: string): string {
  let hex = ''
  for (const byte of new TextEncoder().encode(text)) hex += byte.toString(16).padStart(2, '0')
  return hex
}

/** This session's address on the relay. */
export function createPeerId(meetingId: string, participantId: string, sessionId: string): string {
  return `cv-${hexOf(meetingId)}-${hexOf(participantId)}-${hexOf(sessionId)}`
}
