import { Observable } from 'rxjs'

/**
 * RxJS's `merge`: every value of every source; fails with the first to fail, completes with the last.
 * Written on `new Observable` for Observables only: RxJS's own takes any `ObservableInput` (promises,
 * iterables, async iterables) and converts it with `innerFrom` and tslib's async-iterator helpers,
 * which is most of what it adds to an app's bundle (bench/README.md, "Bundle size").
 */
export function merged<T>(...sources: Observable<T>[]): Observable<T> {
  return new Observable<T>((subscriber) => {
    let active = sources.length
    if (active === 0) subscriber.complete()
    for (const source of sources) {
      if (subscriber.closed) break
      subscriber.add(
        source.subscribe({
          next: (value) => subscriber.next(value),
          error: (error: unknown) => subscriber.error(error),
          complete: () => {
            active -= 1
            if (active === 0) subscriber.complete()
          },
        }),
      )
    }
  })
}
