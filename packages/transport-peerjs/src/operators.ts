import { Observable, type OperatorFunction } from 'rxjs'

/*
 * The higher-order operators the transport composes its streams with, written on `new Observable` for
 * Observables (and arrays) only. RxJS's own (`merge`, `mergeMap`, `exhaustMap`, `takeUntil`,
 * `catchError`, `defer`) take any `ObservableInput`: promises, iterables, async iterables, streams. That
 * conversion (`innerFrom`, with tslib's async-iterator helpers) is most of what they add to an app's
 * bundle, and more than the rest of RxJS the transport uses (bench/README.md, "Bundle size"). Otherwise
 * each behaves as the RxJS operator it names.
 */

/** RxJS's `merge`, shared with the Socket.IO transport (bundled into each at build time). */
export { merged } from '@convene/internal-rx'

/** RxJS's `takeUntil`: the source's values until `notifier` emits, then completion. */
export function until<T>(notifier: Observable<unknown>): OperatorFunction<T, T> {
  return (source) =>
    new Observable<T>((subscriber) => {
      subscriber.add(
        notifier.subscribe({
          next: () => subscriber.complete(),
          error: (error: unknown) => subscriber.error(error),
        }),
      )
      if (!subscriber.closed) source.subscribe(subscriber)
    })
}

/**
 * RxJS's `mergeMap`: each value becomes an Observable (run alongside the others) or an array (emitted
 * at once). Completes when the source and every inner Observable have.
 */
export function flatMap<T, R>(project: (value: T) => Observable<R> | readonly R[]): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      let active = 1
      const done = (): void => {
        active -= 1
        if (active === 0) subscriber.complete()
      }
      subscriber.add(
        source.subscribe({
          next: (value) => {
            const inner = projected(project, value, subscriber)
            if (inner === undefined) return
            if (!(inner instanceof Observable)) {
              for (const item of inner) subscriber.next(item)
              return
            }
            active += 1
            subscriber.add(
              inner.subscribe({
                next: (item) => subscriber.next(item),
                error: (error: unknown) => subscriber.error(error),
                complete: done,
              }),
            )
          },
          error: (error: unknown) => subscriber.error(error),
          complete: done,
        }),
      )
    })
}

/**
 * RxJS's `exhaustMap`: a value becomes an Observable unless the last one is still running, and is
 * dropped then. Completes when the source and the running Observable have.
 */
export function exhaustFlatMap<T, R>(project: (value: T) => Observable<R>): OperatorFunction<T, R> {
  return (source) =>
    new Observable<R>((subscriber) => {
      let running = false
      let sourceDone = false
      subscriber.add(
        source.subscribe({
          next: (value) => {
            if (running) return
            const inner = projected(project, value, subscriber)
            if (inner === undefined) return
            running = true
            subscriber.add(
              inner.subscribe({
                next: (item) => subscriber.next(item),
                error: (error: unknown) => subscriber.error(error),
                complete: () => {
                  running = false
                  if (sourceDone) subscriber.complete()
                },
              }),
            )
          },
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            sourceDone = true
            if (!running) subscriber.complete()
          },
        }),
      )
    })
}

/**
 * RxJS's `catchError` with at most one value in place of the error: the source's values, then, if it
 * fails, `last(error)` (nothing for `undefined`) and completion.
 */
export function replaceError<T, R>(last: (error: unknown) => R | undefined): OperatorFunction<T, T | R> {
  return (source) =>
    new Observable<T | R>((subscriber) =>
      source.subscribe({
        next: (value) => subscriber.next(value),
        error: (error: unknown) => {
          const value = projected(last, error, subscriber)
          if (value !== undefined) subscriber.next(value)
          subscriber.complete()
        },
        complete: () => subscriber.complete(),
      }),
    )
}

/** RxJS's `defer` of a promise: `start()` at subscribe, then its value and completion, or its failure. */
export function fromPromise<T>(start: () => Promise<T>): Observable<T> {
  return new Observable<T>((subscriber) => {
    start().then(
      (value) => {
        subscriber.next(value)
        subscriber.complete()
      },
      (error: unknown) => subscriber.error(error),
    )
  })
}

/** `project(value)`, or `undefined` after failing `subscriber` with what it threw, as RxJS operators do. */
function projected<T, R>(
  project: (value: T) => R,
  value: T,
  subscriber: { error(error: unknown): void },
): R | undefined {
  try {
    return project(value)
  } catch (error) {
    subscriber.error(error)
    return undefined
  }
}
