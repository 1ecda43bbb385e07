import { isRecord } from './fieldReaders.js'
import { MAX_PEER_ID_LENGTH } from './limits.js'
import { parsePeerId } from './peerId.js'

/**
 * Signalling presence: the message `@convene/server` sends each session over its PeerServer WebSocket,
 * naming every session of the same meeting whose signalling connection is open right now (the
 * recipient among them). A crashed tab or process closes its socket at once; a live one starved of
 * CPU, or one whose data links are redialling on a lossy network, keeps it open. So a session silent
 * on its data links but still listed is alive, and one no longer listed is gone or going.
 *
 * The type is none of PeerJS's: PeerJS's client passes a message of an unknown type with a `payload`
 * to the connection its `payload.connectionId` names, and there is none, so it drops it (with a
 * warning at `debug` 2 and up). PeerServer relays only its own types between clients, so no client
 * can send another one of these: only the server can.
 */

/** The `type` of the presence message. */
export const SIGNALLING_PRESENCE_TYPE = 'CONVENE-PRESENCE'

/**
 * The most sessions a presence message names. A meeting with more connected sessions gets
 * `peers: null` (the server does not list it), so no session is ever missing from a list that is
 * sent: one it left out would look gone. Also bounds what each change of a meeting costs the server
 * (every member gets the whole list): a full mesh of PeerJS links is far smaller than this.
 */
export const MAX_PRESENCE_PEERS = 256

/** What the server sends: the peer ids connected in the recipient's meeting, or `null` when not listed. */
export interface SignallingPresence {
  readonly type: typeof SIGNALLING_PRESENCE_TYPE
  readonly payload: { readonly peers: readonly string[] | null }
}

/**
 * The presence message for `peers` (all of one meeting), or for "not listed" when there are more than
 * {@link MAX_PRESENCE_PEERS} of them, or `peers` is `null`.
 */
export function signallingPresence(peers: readonly string[] | null): SignallingPresence {
  const listed = peers === null || peers.length > MAX_PRESENCE_PEERS ? null : [...peers]
  return { type: SIGNALLING_PRESENCE_TYPE, payload: { peers: listed } }
}

/**
 * Reads a presence message as received by a session of `meetingId`: the connected peer ids (each a
 * Convene peer id of that meeting, at most once, at most {@link MAX_PRESENCE_PEERS} of them), `null`
 * when the server does not list the meeting, or `undefined` when `message` is not a well-formed
 * presence message (another type, a missing or wrong field, an id of another meeting): a malformed
 * list is dropped whole, never half-believed. Fields beyond `type` and `payload.peers` are ignored,
 * so a newer server may add some.
 */
export function readSignallingPresence(
  message: unknown,
  meetingId: string,
): readonly string[] | null | undefined {
  if (!isRecord(message) || message.type !== SIGNALLING_PRESENCE_TYPE || !isRecord(message.payload)) {
    return undefined
  }
  const { peers } = message.payload
  if (peers === null) return null
  if (!Array.isArray(peers) || peers.length > MAX_PRESENCE_PEERS) return undefined
  const seen = new Set<string>()
  for (const peer of peers) {
    if (typeof peer !== 'string' || peer.length > MAX_PEER_ID_LENGTH || seen.has(peer)) return undefined
    if (parsePeerId(peer)?.meetingId !== meetingId) return undefined
    seen.add(peer)
  }
  return [...seen]
}
