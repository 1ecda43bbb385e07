import type { Peer } from 'peerjs'
import { filter, map, Observable, take } from 'rxjs'
import { GaveUp, withBackoff } from './backoff.js'
import { fromEmitter } from './fromEmitter.js'
import { merged, replaceError } from './operators.js'
import type { SignallingEvent } from './signallingEvent.js'

/** The token function failed for this attempt (its backend down too?); the next one may work. */
class RenewalFailed extends Error {}

/**
 * One signalling outage, after the peer had been open. Attempt `n` waits `policy(n)`, gives the peer a
 * fresh token (PeerJS sends `options.token` again on reconnect, so the proof gets a new timestamp)
 * and calls `peer.reconnect()`. It succeeds when the peer is open again; it fails when the PeerServer
 * drops it again, or the renewal or the reconnect throws, and the next attempt follows. Completes
 * when the peer is back; emits `gave-up` when the policy says stop, and a renewal failure once per
 * outage, so the app knows why signalling stays down.
 */
export function reconnectUntilOpen(
  peer: Peer,
  policy: (attempt: number) => number | null,
  renew: (() => Promise<string>) | null,
): Observable<SignallingEvent> {
  let renewalReported = false
  const attempt = () =>
    new Observable<SignallingEvent>((subscriber) => {
      reconnectOnce(peer, renew).then(
        (reconnecting) => {
          if (subscriber.closed) return
          if (reconnecting) backOnline(peer).subscribe(subscriber)
          else subscriber.complete()
        },
        (error: unknown) => {
          if (subscriber.closed) return
          if (error instanceof RenewalFailed && !renewalReported) {
            renewalReported = true
            subscriber.next({ type: 'error', error: error.cause, fatal: false })
          }
          subscriber.error(error)
        },
      )
    })
  return withBackoff(attempt, policy).pipe(
    replaceError((error): SignallingEvent | undefined =>
      error instanceof GaveUp ? { type: 'gave-up', attempts: error.attempts } : undefined,
    ),
  )
}

/** Resolves `false` when the peer is back already (nothing to do), `true` once it is reconnecting. */
async function reconnectOnce(peer: Peer, renew: (() => Promise<string>) | null): Promise<boolean> {
  if (!peer.disconnected) return false
  if (renew) {
    let token: string
    try {
      token = await renew()
    } catch (error) {
      throw new RenewalFailed('token renewal failed', { cause: error })
    }
    if (!peer.disconnected) return false
    peer.options.token = token
  }
  peer.reconnect()
  return true
}

/** Completes when the peer opens; fails if the PeerServer drops it first. */
function backOnline(peer: Peer): Observable<never> {
  const open = fromEmitter(peer, 'open').pipe(map(() => true))
  const dropped = fromEmitter(peer, 'disconnected').pipe(map(() => false))
  return merged(open, dropped).pipe(
    take(1),
    filter((reopened) => {
      if (!reopened) throw new Error('the PeerServer dropped the reconnected peer')
      return false
    }),
  ) as Observable<never>
}
