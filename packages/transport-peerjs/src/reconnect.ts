import type { Peer } from 'peerjs'
import {
  catchError,
  defer,
  EMPTY,
  filter,
  map,
  merge,
  mergeMap,
  type Observable,
  of,
  take,
  throwError,
} from 'rxjs'
import { GaveUp, withBackoff } from './backoff.js'
import { peerEvent } from './peerEvent.js'
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
    defer(() => reconnectOnce(peer, renew)).pipe(
      mergeMap((reconnecting) => (reconnecting ? backOnline(peer) : EMPTY)),
      catchError((error: unknown) => {
        if (!(error instanceof RenewalFailed) || renewalReported) return throwError(() => error)
        renewalReported = true
        const report = of<SignallingEvent>({ type: 'error', error: error.cause, fatal: false })
        return merge(
          report,
          throwError(() => error),
        )
      }),
    )
  return withBackoff(attempt, policy).pipe(
    catchError((error: unknown) =>
      error instanceof GaveUp ? of<SignallingEvent>({ type: 'gave-up', attempts: error.attempts }) : EMPTY,
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
  const open = peerEvent(peer, 'open').pipe(map(() => true))
  const dropped = peerEvent(peer, 'disconnected').pipe(map(() => false))
  return merge(open, dropped).pipe(
    take(1),
    filter((reopened) => {
      if (!reopened) throw new Error('the PeerServer dropped the reconnected peer')
      return false
    }),
  ) as Observable<never>
}
