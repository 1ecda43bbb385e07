import type { DataConnection } from 'peerjs'
import { map, type Observable } from 'rxjs'
import { fromEmitter } from './fromEmitter.js'

/**
 * Heartbeats travel apart from everything else, on a second data channel of the same peer
 * connection: unordered, never retransmitted (`maxRetransmits: 0`), and sent several times a beat.
 *
 * On the reliable, ordered channel, one lost packet holds back everything behind it until SCTP's
 * retransmission timer fires, and that timer doubles with each loss (1 s, 2 s, 4 s, …): at 20% loss a
 * live peer's heartbeats can be stuck for longer than the departure timeout, and it is reported gone.
 * Here a lost beat is just lost, the next copy is not held back by it, and `BEAT_COPIES` copies
 * `BEAT_SPACING_MS` apart make a whole beat lost only when every copy is (0.8% at 30% loss).
 *
 * What core marks `vital` (goodbyes, commands and their acks: `Delivery` in core's transport contract)
 * also sends one copy here: core resends them until acked, but each resend on the reliable channel
 * queues behind the same lost packet, and the leaver closes its links after `leaveTimeoutMs` whether
 * or not they got through.
 *
 * PeerJS's `reliable: false` only unorders its channel (it stays fully reliable), so this one is made
 * here, `negotiated` with a fixed id: both ends create it, and no signalling or PeerJS is involved.
 * PeerJS opens one channel per peer connection, with the first id of its side (0 or 1). Until a beat
 * has come in on it, beats also take the reliable channel: the remote may not have made its end yet,
 * or run a version without one.
 */
const BEAT_CHANNEL_ID = 20
export const BEAT_COPIES = 4
export const BEAT_SPACING_MS = 250

/** The beat channel of `conn`'s peer connection, or `undefined` where it cannot be made. */
export function openBeatChannel(conn: DataConnection): RTCDataChannel | undefined {
  try {
    return conn.peerConnection?.createDataChannel('convene-beat', {
      negotiated: true,
      id: BEAT_CHANNEL_ID,
      ordered: false,
      maxRetransmits: 0,
    })
  } catch {
    // A peer connection already closed, or a WebRTC without negotiated channels: beats take the
    // reliable channel.
    return undefined
  }
}

/** What arrives on a beat channel. */
export function beatsOf(channel: RTCDataChannel): Observable<unknown> {
  return fromEmitter<MessageEvent>(channel, 'message').pipe(map((event) => event.data as unknown))
}

const REMEMBERED = 16

/**
 * Drops the copies of a message (beats repeated, goodbyes on both channels, beats on both channels until
 * the beat channel is heard),
 * so core sees one arrival per beat and its departure detector learns the real gaps between beats.
 * Every message carries its own sequence number, so a text equal to one just delivered is a copy.
 */
export class Copies {
  private readonly recent = new Map<string, unknown[]>()

  /** Whether `data` from `remote` is new (and remembers it). */
  fresh(remote: string, data: unknown): boolean {
    if (typeof data !== 'string') return true
    const seen = this.recent.get(remote) ?? []
    if (seen.includes(data)) return false
    seen.push(data)
    if (seen.length > REMEMBERED) seen.shift()
    this.recent.set(remote, seen)
    return true
  }

  forget(remote: string): void {
    this.recent.delete(remote)
  }
}

/** Sends on the beat channel; `false` when it is not open (or failed), for the caller to fall back. */
export function sendBeat(channel: RTCDataChannel | undefined, data: string): boolean {
  if (channel?.readyState !== 'open') return false
  try {
    channel.send(data)
    return true
  } catch {
    return false
  }
}
