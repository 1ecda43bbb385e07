/**
 * Convene peer ids: `cv-<meeting>-<participant>-<session>`, each part the lowercase hex of its UTF-8
 * bytes. The PeerJS transport builds them; the server reads them to keep its room directory (so it
 * rebuilds itself from PeerServer connections, with no separate, forgeable registration) and to know
 * which meeting and participant a signalling proof must be for. Hex keeps ids inside PeerJS's id
 * alphabet and makes the encoding injective: no crafted meeting id can collide with another meeting's
 * key. The session part is a fresh nonce per join, so a rejoin never finds its id still held.
 */

/** What every Convene peer id starts with. */
export const PEER_ID_PREFIX = 'cv-'

const HEX_BYTES = /^(?:[0-9a-f]{2})+$/
const PEER_ID = /^cv-((?:[0-9a-f]{2})+)-((?:[0-9a-f]{2})+)-((?:[0-9a-f]{2})+)$/

/** The three parts of a Convene peer id, decoded. */
export interface ConvenePeerId {
  readonly meetingId: string
  readonly participantId: string
  readonly sessionId: string
}

/** The directory key of a meeting, as its peer ids carry it: the lowercase hex of its UTF-8 bytes. */
export function meetingKey(meetingId: string): string {
  let hex = ''
  for (const byte of new TextEncoder().encode(meetingId)) hex += byte.toString(16).padStart(2, '0')
  return hex
}

/** The peer id of one session of `participantId` in `meetingId`. */
export function createPeerId(meetingId: string, participantId: string, sessionId: string): string {
  return `${PEER_ID_PREFIX}${meetingKey(meetingId)}-${meetingKey(participantId)}-${meetingKey(sessionId)}`
}

/** The meeting key a Convene peer id carries, or `null` for ids that are not Convene's. */
export function meetingKeyOfPeerId(peerId: string): string | null {
  if (!peerId.startsWith(PEER_ID_PREFIX)) return null
  const end = peerId.indexOf('-', PEER_ID_PREFIX.length)
  if (end <= PEER_ID_PREFIX.length) return null
  const key = peerId.slice(PEER_ID_PREFIX.length, end)
  return HEX_BYTES.test(key) ? key : null
}

// One decoder for every id: a relay client reads an address for each session of the meeting it is told
// of, and making a decoder each time was most of that cost.
const utf8 = new TextDecoder('utf-8', { fatal: true })

function fromHex(hex: string): string | null {
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  try {
    return utf8.decode(bytes)
  } catch {
    return null
  }
}

/** The meeting, participant and session a Convene peer id names, or `null` for any other id. */
export function parsePeerId(peerId: string): ConvenePeerId | null {
  const match = PEER_ID.exec(peerId)
  if (!match) return null
  const [meetingId, participantId, sessionId] = match.slice(1).map(fromHex)
  if (meetingId == null || participantId == null || sessionId == null) return null
  return { meetingId, participantId, sessionId }
}
