import { Observable, timer } from 'rxjs'

/** The delay function returned `null` for the next attempt: stop trying. */
export class GaveUp extends Error {
  constructor(readonly attempts: number) {
    super(`Gave up after ${attempts} attempts`)
  }
}

/**
 * Tries `attempt(n)` for n = 1, 2, … until one completes without failing; each waits `delayMs(n)`
 * first. Fails with `GaveUp` when `delayMs` returns `null`. Cold: each subscription starts at 1.
 *
 * RxJS's `retry({ delay })` around a `defer` says the same, but brings `innerFrom` into the app's
 * bundle (bench/README.md, "Bundle size"); here each failure just starts the next attempt's timer.
 */
export function withBackoff<T>(
  attempt: (n: number) => Observable<T>,
  delayMs: (n: number) => number | null,
): Observable<T> {
  return new Observable<T>((subscriber) => {
    let n = 0
    const tryNext = (): void => {
      n += 1
      let delay: number | null
      try {
        delay = delayMs(n)
      } catch (error) {
        subscriber.error(error)
        return
      }
      if (delay === null) {
        subscriber.error(new GaveUp(n - 1))
        return
      }
      subscriber.add(timer(delay).subscribe(() => start(n)))
    }
    const start = (k: number): void => {
      let tries: Observable<T>
      try {
        tries = attempt(k)
      } catch {
        tryNext()
        return
      }
      subscriber.add(
        tries.subscribe({
          next: (value) => subscriber.next(value),
          // This attempt failed: the next one, after its own delay.
          error: tryNext,
          complete: () => subscriber.complete(),
        }),
      )
    }
    tryNext()
  })
}
