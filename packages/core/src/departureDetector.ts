/**
 * An adaptive departure detector, after Jacobson's retransmission timer (RFC 6298) and in the spirit
 * of the phi-accrual detector (Hayashibara et al.; Cassandra, Akka): the allowance for a peer's silence
 * follows the gaps actually seen between its messages, so a sender whose timers run late (a starved
 * CPU, a throttled tab) earns a longer allowance before it is declared gone, while a steady one keeps
 * the floor.
 *
 * - Floor: never less than `departureTimeoutMs`, nor 3 of the peer's own announced intervals (mixed
 *   heartbeat settings stay safe). A steady peer gets exactly the floor, so a crash is found as fast as
 *   with a fixed threshold.
 * - Adaptive part: mean gap + 4 × mean deviation of the gaps (exponentially weighted, 1/8 and 1/4),
 *   plus one tick for the sweep's granularity.
 * - Ceiling: 4 × the floor. However jittery a peer was, a crash is found within it.
 *
 * Gaps are measured on arrival by the wall clock, silence in the observer's own ticks: an observer
 * that stalls sees longer gaps (more lenient), never more silence than ticks it actually ran.
 */
export interface GapEstimate {
  /** Arrival time of the last message, by the observer's wall clock (ms); `null` until one is stamped. */
  readonly lastAt: number | null
  /** Smoothed gap between messages (ms). */
  readonly gapMs: number
  /** Smoothed mean deviation of the gaps (ms). */
  readonly gapDevMs: number
}

export const CEILING_FLOORS = 4

/** The two timings the detector reads (`MeetingTiming`'s, after option defaults). */
interface DetectorTiming {
  readonly departureTimeoutMs: number
  readonly tickMs: number
}

/** The estimate before any gap was seen: the peer's announced interval. */
export function initialGaps(intervalMs: number, at: number | undefined): GapEstimate {
  return { lastAt: at ?? null, gapMs: intervalMs, gapDevMs: 0 }
}

/**
 * Folds one arrival into the estimate, written into `next`: a fresh copy of the record that holds it
 * (a presence), so a message allocates one object, not two. Several messages in one burst count as one
 * arrival.
 */
export function observeArrival(next: Mutable<GapEstimate>, at: number | undefined, capMs: number): void {
  if (at === undefined) return
  const { lastAt } = next
  next.lastAt = at
  if (lastAt === null) return
  // A clock that went back counts as no gap; one huge gap (a suspended laptop) counts as the cap.
  const gap = Math.min(Math.max(0, at - lastAt), capMs)
  next.gapDevMs = next.gapDevMs + (Math.abs(gap - next.gapMs) - next.gapDevMs) / 4
  next.gapMs = next.gapMs + (gap - next.gapMs) / 8
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

export function floorMs(timing: DetectorTiming, intervalMs: number): number {
  return Math.max(timing.departureTimeoutMs, 3 * intervalMs)
}

/** How long this peer may stay silent (ms, in the observer's ticks) before it is declared gone. */
export function allowanceMs(timing: DetectorTiming, intervalMs: number, estimate: GapEstimate): number {
  const floor = floorMs(timing, intervalMs)
  const adaptive = estimate.gapMs + 4 * estimate.gapDevMs + timing.tickMs
  return Math.min(CEILING_FLOORS * floor, Math.max(floor, adaptive))
}
