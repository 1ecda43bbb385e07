import type { MediaConnection } from 'peerjs'
import { finalize, merge, type Observable, takeUntil } from 'rxjs'
import { closeQuietly, peerEvent } from './peerEvent.js'

/**
 * A media call's remote streams (none for a call we placed: each call carries one direction),
 * until the call closes or fails. Unsubscribing hangs it up.
 */
export function callStreams(call: MediaConnection): Observable<MediaStream> {
  return peerEvent<MediaStream>(call, 'stream').pipe(
    takeUntil(merge(peerEvent(call, 'close'), peerEvent(call, 'error'))),
    finalize(() => closeQuietly(call)),
  )
}
