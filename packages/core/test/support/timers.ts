import { afterEach, beforeEach, vi } from 'vitest'

/** Fake timers (including `Date`) for every test of the calling `describe`. */
export function useFakeClock(): void {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })
}

/** Moves the fake clock forward, running every timer that falls due and the promises they settle. */
export async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms)
}

/** Runs timers until none is left: everything in flight has arrived or been dropped. */
export async function settle(): Promise<void> {
  await vi.runAllTimersAsync()
}
