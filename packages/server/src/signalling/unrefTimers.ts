type SetTimeout = typeof globalThis.setTimeout

/**
 * Runs `run` with a `setTimeout` whose timers do not keep Node alive, and so do the timers those timers
 * arm in turn.
 *
 * PeerServer (the `peer` package) arms two housekeeping timers when it is mounted, each re-arming
 * itself every few hundred milliseconds, and offers no way to stop them: a closed server would keep its
 * process running forever. Its timers are armed only from its own synchronous code (the mount, then
 * each tick), so the swap is in place only while that code runs. Unref'd, they tick harmlessly over an
 * empty realm until the process exits; while the server listens, its socket keeps the process alive.
 */
export function withUnrefTimers<T>(run: () => T): T {
  const original = globalThis.setTimeout
  const unrefTimeout = (callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) =>
    original(() => withUnrefTimers(() => callback(...args)), ms).unref()
  globalThis.setTimeout = unrefTimeout as SetTimeout
  try {
    return run()
  } finally {
    globalThis.setTimeout = original
  }
}
