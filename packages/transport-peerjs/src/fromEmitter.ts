import { Observable } from 'rxjs'

type Listener = (value: unknown) => void
type Method = (this: object, event: string, listener: Listener) => unknown

/** The listener APIs understood, in the order RxJS's `fromEvent` tries them: DOM, Node, jQuery-style. */
const METHODS = [
  ['addEventListener', 'removeEventListener'],
  ['addListener', 'removeListener'],
  ['on', 'off'],
] as const

/**
 * The events `event` of an emitter (PeerJS's peers, connections and calls are eventemitter3s; WebRTC's
 * peer connections and channels and the page are `EventTarget`s), as a stream of their first argument
 * (`T`, which the caller states as the emitter declares it). Listening starts at subscribe and stops at
 * unsubscribe, so a pipeline that ends leaves no listener behind.
 *
 * RxJS's `fromEvent` does the same, but also takes arrays of targets, and for those it brings in
 * `mergeMap` and `innerFrom`, which would double what RxJS adds to an app's bundle (bench/README.md).
 */
export function fromEmitter<T = void>(target: object, event: string): Observable<T> {
  return new Observable<T>((subscriber) => {
    const methods = target as Record<string, Method | undefined>
    const pair = METHODS.find(
      ([add, remove]) => typeof methods[add] === 'function' && typeof methods[remove] === 'function',
    )
    if (pair === undefined) throw new TypeError(`Not an event emitter (listening for '${event}')`)
    const [add, remove] = pair
    const listener: Listener = (value) => subscriber.next(value as T)
    methods[add]!.call(target, event, listener)
    return () => methods[remove]!.call(target, event, listener)
  })
}
