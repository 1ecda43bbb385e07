import type { DataConnection } from 'peerjs'
import { EMPTY, filter, map, type Observable, take, timer } from 'rxjs'
import { fromEmitter } from './fromEmitter.js'
import { flatMap, merged, until } from './operators.js'

/**
 * How long a dial may take to open once its ICE is connected before a fresh dial joins it. On a sound
 * network DTLS and SCTP take a few ms after ICE (under 50 ms on a loaded 2-core machine); a handshake
 * not done by then has lost a DTLS flight and waits for OpenSSL's retransmission timer, 1 s after ICE
 * connected (then 3 s, 7 s, …). libdatachannel loses one that way even on loopback: it drops a
 * ClientHello that arrives before its own ICE is connected, and which end connects first is a race.
 * A fresh dial is then open in tens of ms, well before that 1 s.
 */
export const STALL_MS = 200

/**
 * Emits once when `conn`'s ICE is connected but the connection has not opened `afterMs` later; never
 * when it opens (or closes) first, or when it has no peer connection to watch.
 */
export function handshakeStalled(conn: DataConnection, afterMs: number = STALL_MS): Observable<void> {
  const pc = conn.peerConnection as RTCPeerConnection | undefined
  if (!pc) return EMPTY
  const iceUp = () => pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed'
  return fromEmitter(pc, 'iceconnectionstatechange').pipe(
    filter(iceUp),
    take(1),
    flatMap(() => timer(afterMs)),
    map(() => undefined),
    until(merged<unknown>(fromEmitter(conn, 'open'), fromEmitter(conn, 'close'))),
  )
}
