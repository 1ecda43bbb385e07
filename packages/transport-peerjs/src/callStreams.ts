import type { MediaConnection } from 'peerjs'
import { finalize, type Observable } from 'rxjs'
import { closeQuietly } from './closeQuietly.js'
import { fromEmitter } from './fromEmitter.js'
import { merged, until } from './operators.js'

/**
 * A media call's remote streams (none for a call we placed: each call carries one direction),
 * until the call closes or fails. Unsubscribing hangs it up.
 */
export function callStreams(call: MediaConnection): Observable<MediaStream> {
  return fromEmitter<MediaStream>(call, 'stream').pipe(
    until(merged<unknown>(fromEmitter(call, 'close'), fromEmitter(call, 'error'))),
    finalize(() => closeQuietly(call)),
  )
}
