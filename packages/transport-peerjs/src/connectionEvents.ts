import type { DataConnection } from 'peerjs'
import { EMPTY, filter, finalize, map, Observable, timer } from 'rxjs'
import { closeQuietly } from './closeQuietly.js'
import { fromEmitter } from './fromEmitter.js'
import { merged, until } from './operators.js'

/** What a data connection says: it opened, then data, until it closes. */
export type ConnectionSignal = { type: 'open' } | { type: 'data'; data: unknown }

/**
 * One data connection's life as a stream: `open`, then whatever arrives on it. Completes when the
 * connection closes; fails when it cannot open: an error, a failed peer connection, or no `open`
 * within `patienceMs` (a `timer`: rxjs's `timeout` would cost the app's bundle more). Unsubscribing
 * closes the connection (closing twice is harmless in PeerJS).
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
    const tooSlow = timer(patienceMs).pipe(filter(() => !open))
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
