import type { DataConnection } from 'peerjs'
import { EMPTY, filter, finalize, map, Observable } from 'rxjs'
import { closeQuietly } from './closeQuietly.js'
import { fromEmitter } from './fromEmitter.js'
import { merged, until } from './operators.js'

/** What a data connection says: it opened, then data, until it closes. */
export type ConnectionSignal = { type: 'open' } | { type: 'data'; data: unknown }

/**
 * One data connection's life as a stream: `open`, then whatever arrives on it. Completes when the
 * connection closes; fails when it cannot open: an error, a failed peer connection, or no `open`
 * within `patienceMs` of the other end's answer (`tooSlowToOpen`: rxjs's `timeout` would cost the
 * app's bundle more). Unsubscribing closes the connection (closing twice is harmless in PeerJS).
 */
export function connectionEvents(conn: DataConnection, patienceMs: number): Observable<ConnectionSignal> {
  return new Observable<ConnectionSignal>((subscriber) => {
    let open = false
    // PeerJS only watches the ICE state; a DTLS or SCTP failure shows in the connection state alone.
    const pc = conn.peerConnection
    const pcFailed = pc
      ? fromEmitter(pc, 'connectionstatechange').pipe(
          filter(() => pc.connectionState === 'failed' || pc.connectionState === 'closed'),
        )
      : EMPTY
    // Errors of an open connection end in 'close'; one that never opened only reports an error.
    const failed = merged<unknown>(pcFailed, fromEmitter<unknown>(conn, 'error')).pipe(filter(() => !open))
    const tooSlow = tooSlowToOpen(pc, patienceMs).pipe(filter(() => !open))
    return merged<ConnectionSignal>(
      fromEmitter(conn, 'open').pipe(
        map((): ConnectionSignal => {
          open = true
          return { type: 'open' }
        }),
      ),
      fromEmitter<unknown>(conn, 'data').pipe(map((data): ConnectionSignal => ({ type: 'data', data }))),
      merged<unknown>(failed, tooSlow).pipe(
        map((): never => {
          throw new Error(`data connection to ${conn.peer} did not open`)
        }),
      ),
    )
      .pipe(
        until(fromEmitter(conn, 'close')),
        finalize(() => closeQuietly(conn)),
      )
      .subscribe(subscriber)
  })
}

/**
 * How many patiences a dial waits for the other end's answer, which comes through the PeerServer: in
 * the Chromium walk-through at load 48 a rejoiner's offers to one peer were answered 10-21 s after
 * they went out (each leg through the PeerServer seconds late), and every dial, given up 10 s after
 * it was made, closed before its answer came: 60 dials in 170 s, none opened, the pair never linked.
 * The handshake (ICE, DTLS, SCTP) starts with the answer, so its patience counts from there; with no
 * answer at all the dial is given up after this many patiences (20 s by default).
 */
export const ANSWER_WAITS = 2

/**
 * Emits when the connection has had `patienceMs` since the other end's description came (at once
 * for an answerer, whose offer is in as it is made, and for a connection with no peer connection to
 * watch), or `ANSWER_WAITS` patiences without it.
 */
function tooSlowToOpen(pc: RTCPeerConnection | undefined, patienceMs: number): Observable<void> {
  return new Observable<void>((subscriber) => {
    let deadline: ReturnType<typeof setTimeout> | undefined
    const after = (ms: number) => {
      clearTimeout(deadline)
      deadline = setTimeout(() => subscriber.next(), ms)
    }
    const awaiting = pc !== undefined && pc.remoteDescription === null
    after(awaiting ? ANSWER_WAITS * patienceMs : patienceMs)
    const described = () => {
      if (pc?.remoteDescription === null) return
      pc?.removeEventListener('signalingstatechange', described)
      after(patienceMs)
    }
    if (awaiting) pc.addEventListener('signalingstatechange', described)
    return () => {
      clearTimeout(deadline)
      pc?.removeEventListener('signalingstatechange', described)
    }
  })
}
