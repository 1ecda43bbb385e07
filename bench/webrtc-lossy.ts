/**
 * Real WebRTC on a lossy network: the PeerServer and four participants, each its own process, inside a
 * network namespace whose nftables drop 0/10/20/30% of all UDP at random (needs root, ip and nft).
 * Per loss rate: join time (join() until the joiner and everyone before it see each other), leave,
 * crash detection and end latencies, with core's default timings, and every exactly-once violation.
 */

import { loadavg } from 'node:os'
import {
  type LossyMeetingResult,
  lossyMeeting,
} from '../packages/transport-peerjs/test/support/lossyMeeting.js'
import { createLossyNetwork } from '../packages/transport-peerjs/test/support/lossyNetwork.js'
import { main, type NotMeasured, progress } from './lib/output.js'
import { distribution } from './lib/stats.js'
import type { LatencyResult } from './webrtc-latency.js'

const RUNS = Number(process.env.BENCH_LOSSY_RUNS ?? 3)
/** BENCH_LOSSY_LOSSES="20,30": only these loss rates (to split a long run across turns of the shared lock). */
const LOSSES = (process.env.BENCH_LOSSY_LOSSES ?? '0,10,20,30').split(',').map(Number)

export async function run(): Promise<LatencyResult | NotMeasured> {
  const network = createLossyNetwork()
  if ('unavailable' in network) return { notMeasured: network.unavailable }
  const rows: LatencyResult['rows'] = []
  try {
    for (const loss of LOSSES) {
      const results: LossyMeetingResult[] = []
      const failures: string[] = []
      for (let i = 0; i < RUNS; i++) {
        let outcome: unknown
        try {
          outcome = await lossyMeeting(network, loss, { stepTimeoutMs: 60_000 })
          results.push(outcome as LossyMeetingResult)
        } catch (error) {
          outcome = `FAILED: ${error instanceof Error ? error.message : String(error)}`
          failures.push(outcome as string)
        }
        progress(`${loss}% run ${i + 1} (load ${loadavg()[0]!.toFixed(1)}): ${JSON.stringify(outcome)}`)
      }
      const of = (pick: (r: LossyMeetingResult) => number[]) => {
        const samples = results.flatMap(pick)
        return samples.length > 0 ? distribution(samples) : { notMeasured: failures.join('; ') || 'no run' }
      }
      const udp = results.reduce((sum, r) => sum + r.udpPackets, 0)
      const dropped = results.reduce((sum, r) => sum + r.droppedPackets, 0)
      const violations = results.flatMap((r) => r.violations)
      const note = `${results.length}/${RUNS} runs completed, UDP dropped ${dropped}/${udp}, exactly-once violations ${violations.length}`
      rows.push({ name: `${loss}% loss: join, 4 people (${note})`, ms: of((r) => r.joinsMs) })
      rows.push({ name: `${loss}% loss: leave → last participant-left(left)`, ms: of((r) => [r.leaveMs]) })
      rows.push({
        name: `${loss}% loss: crash → last participant-left(disconnected)`,
        ms: of((r) => [r.crashMs]),
      })
      rows.push({ name: `${loss}% loss: end → meeting-left(ended)`, ms: of((r) => [r.endMs]) })
      if (violations.length > 0) progress(`${loss}% violations: ${violations.join(' | ')}`)
    }
  } finally {
    network.close()
  }
  return { trials: RUNS, rows }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(run)
