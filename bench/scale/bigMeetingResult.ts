/**
 * What one meeting of N over the relay reports (bench/scale/bigMeeting.ts), and how a shortfall is read
 * from its figures: the machine (client processes whose event loops ran past the relay's timeouts) or
 * the product.
 */
import type { NotMeasured } from '../lib/output.js'
import type { Distribution } from '../lib/stats.js'
import { missing } from '../lib/table.js'
import type { RelayTiming } from './cluster.js'
import type { FailoverTrace } from './failoverTrace.js'

export interface BigMeetingResult {
  n: number
  auth: boolean
  setup: { groups: number; concurrency: number; joinsPerSecond: number; relay: string }
  /** When the join did not converge: what limited it, the machine or the product, from the figures. */
  limit: string | null
  join: {
    /** First `join()` call to the last participant seeing all N − 1 others. */
    allSeconds: number | null
    /** Each participant's `join()` → resolved. */
    ms: Distribution | NotMeasured
    /** Participants whose roster was whole when the bench gave up waiting (N when all made it). */
    whole: number
    /** Participants that never joined (5 attempts each). */
    failed: number
    /** Attempts that failed, over all participants (then tried again). */
    failedAttempts: number
    /** Where the rosters stood at the end of the join phase: fewest, median, most others seen. */
    rosters: { min: number; median: number; max: number }
    /** Packets through the adapter's Redis stream during the join. */
    streamAdded: number
    /** `participant-left` told during the join phase (nobody left), by reason. */
    departures: Record<string, number>
    /** What the two nodes logged during the join, by event (`relay.dropped`: a socket lost, held for its grace). */
    relayEvents: Record<string, number>
    /** The machine during the join phase: is it, rather than the product, the limit? */
    load: Load | NotMeasured
  }
  steady:
    | (Load & {
        /** Messages the meetings handed the relay, per second (to one session + to the meeting). */
        inPerSecond: number
        /** Messages the relay delivered to meetings, per second. */
        outPerSecond: number
      })
    | NotMeasured
  /** `leave()` → the last of the others told `participant-left(left)`, one trial per leaver. */
  leave: {
    ms: Distribution | NotMeasured
    /** What the others were told about the leavers, summed: by reason, and observers told twice. */
    told: Record<string, number>
  }
  failover:
    | {
        /** SIGKILL of node A → each of its participants back in CONNECTED on node B. */
        ms: Distribution | NotMeasured
        moved: number
        notBack: number
        /** `participant-left` told after the kill about someone who never left (observer × subject). */
        falseDepartures: number
        /**
         * Of those, about someone who never went away or was back in CONNECTED within the grace period of
         * the kill (the target: none; someone back later may be told gone, then back).
         */
        falseWithinGrace: number
        /** The participant of node B who left during the outage: observers told, of how many, repeats. */
        outageLeave: { told: number; of: number; repeated: number; reasons: Record<string, number> }
        /** 5 s after everyone was back: participants whose roster holds exactly the others present, of `present`. */
        rostersRight: number
        /** When someone was not back or was told a false departure: the machine or the product, from the figures; `null`: neither. */
        limit: string | null
        present: number
        /** From the kill until everyone was back: the machine (node A's CPU is gone: NaN). */
        load: Load
        /** What node B logged meanwhile (`relay.recovered`: a session back as itself; `relay.joined`: anew). */
        relayEvents: Record<string, number>
        /** With `BENCH_SCALE_TRACE=1`: the returners' way back in phases, and the links it cost every meeting. */
        trace?: FailoverTrace
      }
    | NotMeasured
  /** `end()` → each of the others told `meeting-left(ended)` (one trial; the distribution is over receivers). */
  end: { ms: Distribution | NotMeasured; notTold: number; nodes: number }
  errors: Record<string, number>
  /** A few messages of each error code, to say why. */
  errorSamples: Record<string, string[]>
}

/** CPU of each part over a window, % of one core (this machine has 2 cores: 200% in all). */
export interface Load {
  seconds: number
  nodeCpuPercent: number[]
  redisCpuPercent: number
  clientsCpuPercent: number
  /** The whole machine, every process (other engineers' too), % of one core. */
  machineCpuPercent: number
  /** Over the client processes: the worst p99 and max event-loop delay in the window, ms. */
  clientLoopDelay: { p99: number; max: number }
}

/**
 * Why a join did not converge, from what was measured: the machine when the client processes' event
 * loops ran later than the relay's ping timeout (1,000 real clients have 1,000 CPUs; these share 2 cores
 * with the nodes, Redis and other work), the product otherwise.
 */
export function limitOf(join: BigMeetingResult['join'], pingTimeoutMs: number): string {
  const dropped = join.relayEvents['relay.dropped'] ?? 0
  const load = join.load
  if (missing(load)) return `stalled with ${dropped} sockets dropped (load not measured)`
  const late = `clients' event loop up to ${Math.round(load.clientLoopDelay.max)} ms late (p99 ${Math.round(load.clientLoopDelay.p99)})`
  const cpu = `machine ${load.machineCpuPercent}% of 200 busy, clients ${load.clientsCpuPercent}%`
  if (dropped > 0 && load.clientLoopDelay.max >= pingTimeoutMs) {
    return `the machine: ${late} ≥ the relay's ${pingTimeoutMs} ms ping timeout, ${dropped} sockets dropped; ${cpu}`
  }
  if (dropped > 0) {
    return `the product: ${dropped} sockets dropped though ${late} < the ${pingTimeoutMs} ms ping timeout; ${cpu}`
  }
  return `no roster grew for 60 s, no socket dropped; ${late}; ${cpu}`
}

/** Why a failover fell short, if it did: a client stall past the ping timeout or the grace is the machine's. */
export function failoverLimit(
  { notBack, falseWithinGrace, load }: { notBack: number; falseWithinGrace: number; load: Load },
  relay: RelayTiming,
): string | null {
  if (notBack === 0 && falseWithinGrace === 0) return null
  const late = `clients' event loop up to ${Math.round(load.clientLoopDelay.max)} ms late, clients ${load.clientsCpuPercent}% CPU, machine ${load.machineCpuPercent}% of 200`
  if (load.clientLoopDelay.max >= relay.pingTimeoutMs)
    return `the machine: ${late} ≥ the ${relay.pingTimeoutMs} ms ping timeout`
  if (load.clientLoopDelay.max >= relay.failoverGraceMs)
    return `the machine: ${late} ≥ the ${relay.failoverGraceMs} ms failover grace`
  return `the product: ${notBack} not back, ${falseWithinGrace} false departures, though ${late}`
}
