import type { DataConnection } from 'peerjs'
import { defer, EMPTY, filter, finalize, map, merge, type Observable, takeUntil, timer } from 'rxjs'
import { closeQuietly, peerEvent } from './peerEvent.js'

/** What a data connection says: it opened, then data, until it closes. */
export type ConnectionSignal = { type: 'open' } | { type: 'data'; data: unknown }

/**
 * One data connection's life as a stream: `open`, then whatever arrives on it. Completes when the
 * connection closes; fails when it cannot open: an error, a failed peer connection, or no `open`
 * within `patienceMs` (a `timer`: rxjs's `timeout` would cost the app's bundle more). Unsubscribing closes the connection (closing twice is harmless in PeerJS).
 */
export function connectionEvents(conn: DataConnection, patienceMs: number): Observable<ConnectionSignal> {
  return defer(() => {
    let open = false
    // PeerJS only watches the ICE state; a DTLS or SCTP failure shows in the connection state alone.
    const pc = conn.peerConnection
    const pcFailed = pc
      ? peerEvent(pc, 'connectionstatechange').pipe(
          filter(() => pc.connectionState === 'failed' || pc.connectionState === 'closed'),
        )
      : EMPTY
    // Errors of an open connection end in 'close'; one that never opened only reports an error.
    const failed = merge(pcFailed, peerEvent<unknown>(conn, 'error')).pipe(filter(() => !open))
    const tooSlow = timer(patienceMs).pipe(filter(() => !open))
    return merge(
      peerEvent(conn, 'open').pipe(
        map((): ConnectionSignal => {
          open = true
          return { type: 'open' }
        }),
      ),
      peerEvent<unknown>(conn, 'data').pipe(map((data): ConnectionSignal => ({ type: 'data', data }))),
      merge(failed, tooSlow).pipe(
        map((): never => {
          throw new Error(`data connection to ${conn.peer} did not open`)
        }),
      ),
    ).pipe(
      takeUntil(peerEvent(conn, 'close')),
      finalize(() => closeQuietly(conn)),
    )
  })
}
