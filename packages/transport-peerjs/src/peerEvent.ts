import { fromEvent, type Observable } from 'rxjs'

/** What `fromEvent` takes as a Node-style emitter; PeerJS's peers, connections and calls are eventemitter3s. */
type NodeEmitter = Parameters<typeof fromEvent>[0] & {
  addListener(event: string, listener: (...args: never[]) => void): unknown
}

/**
 * The events `name` of a PeerJS peer, data connection or media call, as a stream of their first
 * argument (`T`, which the caller states as PeerJS declares it). Listening starts at subscribe and
 * stops at unsubscribe, so a pipeline that ends leaves no listener behind.
 */
export function peerEvent<T = void>(emitter: object, name: string): Observable<T> {
  return fromEvent(emitter as NodeEmitter, name) as Observable<T>
}

/**
 * Closes a PeerJS connection or call, for `finalize`: a close that throws (a channel already torn
 * down under it) must not stop the rest of a teardown.
 */
export function closeQuietly(connection: { close(): void }): void {
  try {
    connection.close()
  } catch {
    // Closed already, as far as anyone can tell.
  }
}
