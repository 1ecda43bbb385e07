import { defer, mergeMap, type Observable, type ObservableInput, retry, throwError, timer } from 'rxjs'

/** The delay function returned `null` for the next attempt: stop trying. */
export class GaveUp extends Error {
  constructor(readonly attempts: number) {
    super(`Gave up after ${attempts} attempts`)
  }
}

/**
 * Tries `attempt(n)` for n = 1, 2, … until one completes without failing; each waits `delayMs(n)`
 * first. Fails with `GaveUp` when `delayMs` returns `null`. Cold: each subscription starts at 1.
 */
export function withBackoff<T>(
  attempt: (n: number) => ObservableInput<T>,
  delayMs: (n: number) => number | null,
): Observable<T> {
  const wait = (n: number): Observable<unknown> =>
    defer(() => {
      const delay = delayMs(n)
      return delay === null ? throwError(() => new GaveUp(n - 1)) : timer(delay)
    })
  return defer(() => {
    let n = 0
    const tries = defer(() => attempt(++n)).pipe(retry({ delay: (_error, count) => wait(count + 1) }))
    return wait(1).pipe(mergeMap(() => tries))
  })
}
