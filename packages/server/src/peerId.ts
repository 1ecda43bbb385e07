/**
 * Convene peer ids have the form `cv-<meeting>-<participant>-<session>`, each part the lowercase hex of
 * its UTF-8 bytes. `@convene/transport-peerjs` builds them (its `peerId.ts` holds a copy of this format:
 * keep both in step). The room directory reads the meeting part, so it rebuilds itself from PeerServer
 * connections (also after a server restart) and no separate, forgeable registration call is needed;
 * with `auth`, PeerServer registers an id only for the holder of a token for that meeting and
 * participant. Hex keeps ids inside PeerJS's id alphabet and makes the encoding injective: no crafted
 * meeting id can collide with another meeting's key.
 */
const PREFIX = 'cv-'
const PEER_ID = /^cv-((?:[0-9a-f]{2})+)-((?:[0-9a-f]{2})+)-((?:[0-9a-f]{2})+)$/

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

/** The three parts of a Convene peer id, decoded. */
export interface ConvenePeerId {
  readonly meetingId: string
  readonly participantId: string
  readonly sessionId: string
}

function fromHex(hex: string): string | null {
  const bytes = new Uint8Array(hex.length / 2)
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
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
