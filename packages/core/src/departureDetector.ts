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
 * - Announced lateness: a heartbeat may say how late the sender's timer fired (`late`). A sender whose
 *   timers start running late usually stalls longer next (a camera starting, a throttled tab), before
 *   its gaps show it: the floor grows by 4 × the lateness announced, at most one floor more, and that
 *   grant fades by 1/8 with each beat on time.
 * - Ceiling: 4 × the floor. However jittery a peer was, a crash is found within it.
 * - The signalling server's word (a transport's `signalling-presence`), read only when it has spoken:
 *   a peer whose connection to it is still open (a starved tab, a link being redialled or stuck: seen
 *   silent 3-27 s while alive) gets its floor raised to `connectedDepartureTimeoutMs` (F_c, default
 *   30 s; a client that froze or lost its network stops pinging the server, which closes its
 *   connection within its own liveness timeout, 10 s for `@convene/server`, so F_c is a backstop), the adaptive part and announced lateness on top as above, and a ceiling of max(4 × floor,
 *   F_c): allowance = min(max(4F, F_c), max(F_c + announced, adaptive)), with F the plain floor. A
 *   peer whose connection closed (it crashed or left) is allowed half the plain floor,
 *   F / 2 (1.5 s by default), whatever its jitter: a crash is then found about as soon as the server
 *   saw it, while a peer still beating every interval is never declared gone by it. No report yet, or
 *   `null` (the server cannot be heard): silence alone, as above.
 *
 * Gaps are measured on arrival by the wall clock. Silence must reach the allowance twice over: in the
 * observer's own ticks, so an observer that stalls (a frozen tab) declares nobody gone for the time it
 * did not run, and by the wall clock since the last arrival, because whole ticks undercount: a peer
 * heard just after a tick would be gone 2-3 s after its last message under a 3 s allowance. In ticks,
 * the allowance counts in whole ticks, rounded down (the wall clock covers the fraction: 1.5 s is one
 * tick and 1.5 s), or rounded up where there is no wall clock (ticks decide alone). The sweep
 * runs at each tick, and once more in between when a peer's wall-clock allowance ends before the next
 * (`nextSweepInMs`), so a crash is still found as soon as the allowance is over.
 */
import type { WireMessage } from './protocol.js'

export interface GapEstimate {
  /** Arrival time of the last message, by the observer's wall clock (ms since its session started); `null` until one is stamped. */
  readonly lastAt: number | null
  /** Smoothed gap between messages (whole ms). */
  readonly gapMs: number
  /** Smoothed mean deviation of the gaps (whole ms). */
  readonly gapDevMs: number
  /** The lateness its heartbeats announced, fading by 1/8 per beat on time (whole ms). */
  readonly lateMs: number
}

export const CEILING_FLOORS = 4
/** Each ms of announced lateness buys this many ms of allowance (up to one floor more). */
export const LATE_FACTOR = 4

/** The timings the detector reads (`MeetingTiming`'s, after option defaults). */
interface DetectorTiming {
  readonly departureTimeoutMs: number
  readonly connectedDepartureTimeoutMs: number
  readonly tickMs: number
}

/**
 * What the signalling server last said of a peer's connection: still open, closed, or nothing (no
 * report, or this session cannot hear the server now).
 */
export type ServerView = 'connected' | 'closed' | undefined

/**
 * Folds one arrival into the estimate, written into `next`: a fresh copy of the record that holds it
 * (a presence), so a message allocates one object, not two. Several messages in one burst count as one
 * arrival. `late`: what a heartbeat announced (0 for one on time), `undefined` for other messages.
 */
export function observeArrival(
  next: Mutable<GapEstimate>,
  at: number | undefined,
  capMs: number,
  late?: number,
): void {
  // Whole milliseconds: a fraction would make V8 box each of these numbers in every presence (16 bytes
  // each, and three more allocations per message). The fading grant rounds up, so it reaches 0.
  if (late !== undefined)
    next.lateMs = Math.max(Math.min(late, capMs), next.lateMs - Math.ceil(next.lateMs / 8)) | 0
  if (at === undefined) return
  const { lastAt } = next
  next.lastAt = at
  if (lastAt === null) return
  // A clock that went back counts as no gap; one huge gap (a suspended laptop) counts as the cap.
  const gap = Math.min(Math.max(0, at - lastAt), capMs)
  next.gapDevMs = (next.gapDevMs + Math.round((Math.abs(gap - next.gapMs) - next.gapDevMs) / 4)) | 0
  next.gapMs = (next.gapMs + Math.round((gap - next.gapMs) / 8)) | 0
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

export function floorMs(timing: DetectorTiming, intervalMs: number): number {
  return Math.max(timing.departureTimeoutMs, 3 * intervalMs)
}

/** How long this peer may stay silent (ms, in the observer's ticks) before it is declared gone. */
export function allowanceMs(
  timing: DetectorTiming,
  intervalMs: number,
  estimate: GapEstimate,
  server?: ServerView,
): number {
  const floor = floorMs(timing, intervalMs)
  if (server === 'closed') return Math.ceil(floor / 2)
  const raised = server === 'connected' ? Math.max(floor, timing.connectedDepartureTimeoutMs) : floor
  const announced = Math.min(floor, LATE_FACTOR * estimate.lateMs)
  const adaptive = estimate.gapMs + 4 * estimate.gapDevMs + timing.tickMs
  return Math.min(Math.max(CEILING_FLOORS * floor, raised), Math.max(raised + announced, adaptive))
}

/**
 * Milliseconds since the clock was made, as a small integer: what arrivals are stamped with and what
 * the sweep reads silence on. Small integers stay unboxed in each presence (a `Date.now()` would be a
 * 16-byte heap number per remote session and per message). After 24.8 days it wraps, which the detector
 * takes as a clock that went back: one gap counted as none.
 */
export function arrivalClock(): () => number {
  const origin = Date.now()
  return () => (Date.now() - origin) | 0
}

/**
 * What a peer is judged on: ticks since it was last heard, the wall clock's `now`, and the links the
 * signalling server last reported connected.
 */
interface Silence {
  readonly tick: number
  /** By the clock its arrivals were stamped with; `undefined` where there is none (ticks decide alone). */
  readonly now: number | undefined
  /** The latest `signalling-presence` (`null`: none, or this session cannot tell now). */
  readonly connected: ReadonlySet<string> | null
}

type Heard = GapEstimate & {
  readonly linkId: string
  readonly lastHeardTick: number
}

/** What the server's report says of this peer's link. */
const serverView = (connected: ReadonlySet<string> | null, linkId: string): ServerView =>
  connected === null ? undefined : connected.has(linkId) ? 'connected' : 'closed'

/**
 * Whether `ticks` of our own cover the allowance: its whole ticks, rounded down when the wall clock
 * checks the rest (ticks >= floor(allowance / tickMs), for whole ticks), else rounded up.
 */
function silentForTicks(tickMs: number, ticks: number, allowance: number, wallClock: boolean): boolean {
  return wallClock ? ticks * tickMs > allowance - tickMs : ticks * tickMs >= allowance
}

/**
 * Whether a peer has been silent for its whole allowance, in our own ticks and by the wall clock.
 * `intervalMs`: the heartbeat interval it announced (what `floorMs` makes of it is all that counts).
 */
export function isSilentTooLong(
  timing: DetectorTiming,
  peer: Heard,
  intervalMs: number,
  silence: Silence,
): boolean {
  const { tick, now } = silence
  const allowance = allowanceMs(timing, intervalMs, peer, serverView(silence.connected, peer.linkId))
  // The wall clock needs a clock and an arrival to read it from; ticks round down only where it checks the rest.
  const wallSilence = now === undefined || peer.lastAt === null ? null : now - peer.lastAt
  if (!silentForTicks(timing.tickMs, tick - peer.lastHeardTick, allowance, wallSilence !== null)) return false
  return wallSilence === null || wallSilence >= allowance
}

/**
 * When a sweep between ticks is due (ms from `now`): the soonest a peer silent long enough in ticks
 * runs out of wall-clock allowance, if that is before the next tick; `null` when the next tick will do.
 * `peers` by session id, and `intervalOf` a session's announced heartbeat interval (see `isSilentTooLong`).
 */
export function nextSweepInMs(
  timing: DetectorTiming,
  peers: Iterable<[string, Heard]>,
  intervalOf: (id: string) => number,
  silence: Silence,
): number | null {
  const { tick, now, connected } = silence
  if (now === undefined) return null
  let soonest: number | null = null
  for (const [id, peer] of peers) {
    if (peer.lastAt === null) continue
    const allowance = allowanceMs(timing, intervalOf(id), peer, serverView(connected, peer.linkId))
    if (!silentForTicks(timing.tickMs, tick - peer.lastHeardTick, allowance, true)) continue
    const due = peer.lastAt + allowance - now
    if (due > 0 && due < timing.tickMs && (soonest === null || due < soonest)) soonest = due
  }
  return soonest
}

/**
 * Lateness below this is a timer's ordinary jitter, not announced: a steady peer keeps the plain floor,
 * so its crash is found as fast as ever.
 */
export const ANNOUNCE_LATE_FROM_MS = 100

/**
 * The sender's half: stamps each outgoing heartbeat with how late it left, measured from the one
 * before (the clock ticks every `tickMs`, so anything beyond that is the timer firing late).
 */
export function announceLateness(tickMs: number, now: () => number = Date.now) {
  let lastBeatAt: number | null = null
  return (message: WireMessage): WireMessage => {
    if (message.type !== 'heartbeat') return message
    const at = now()
    const late = lastBeatAt === null ? 0 : Math.round(at - lastBeatAt - tickMs)
    lastBeatAt = at
    return late >= ANNOUNCE_LATE_FROM_MS ? { ...message, late } : message
  }
}
