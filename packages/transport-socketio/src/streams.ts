import { Observable, type OperatorFunction } from 'rxjs'

/*
 * The stream helpers the relay session is composed with, written on `new Observable`. RxJS's
 * `fromEvent`, `merge` and `mergeMap` would do, but they convert any `ObservableInput` (promises,
 * iterables, async iterables) with `innerFrom` and tslib's async-iterator helpers, which is most of what
 * they add to an app's bundle (bench/README.md, "Bundle size").
 */

interface UntypedEmitter {
  on(event: string, listener: (value: unknown, ...rest: unknown[]) => void): unknown
  off(event: string, listener: (value: unknown, ...rest: unknown[]) => void): unknown
}

/**
 * One Socket.IO event as an Observable of its first argument (Socket.IO adds the recovery offset as an
 * extra last one). Untyped on purpose: whatever the server sends is checked before use. Listening starts
 * at subscribe and stops at unsubscribe.
 */
export function on(emitter: unknown, event: string): Observable<unknown> {
  const target = emitter as UntypedEmitter
  return new Observable<unknown>((subscriber) => {
    const listener = (value: unknown): void => subscriber.next(value)
    target.on(event, listener)
    return () => target.off(event, listener)
  })
}

/** One Socket.IO event as an Observable of all its arguments (`disconnect` gives a reason and details). */
export function onEach(emitter: unknown, event: string): Observable<unknown[]> {
  const target = emitter as UntypedEmitter
  return new Observable<unknown[]>((subscriber) => {
    const listener = (...values: unknown[]): void => subscriber.next(values)
    target.on(event, listener)
    return () => target.off(event, listener)
  })
}

/** RxJS's `merge`, shared with the PeerJS transport (bundled into each at build time). */
export { merged } from '@convene/internal-rx'

/** Each value as the values `project` lists for it, in order (RxJS's `mergeMap` to an array). */
export function mapMany<T, R>(project: (value: T) => readonly R[]): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) =>
      source.subscribe({
        next: (value) => {
          let items: readonly R[]
          try {
            items = project(value)
          } catch (error) {
            subscriber.error(error)
            return
          }
          for (const item of items) subscriber.next(item)
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      }),
    )
}
