/**
 * `npm run bench -- scale`: one meeting of N (100, 300, 1,000) over the Socket.IO relay on two server
 * nodes and a real Redis, and a meeting of 8 over PeerJS and over Socket.IO side by side. Every
 * process on this one machine: clients, nodes, Redis and this bench share its cores.
 */
import { main, type NotMeasured, progress } from './lib/output.js'
import { bigMeeting } from './scale/bigMeeting.js'
import type { BigMeetingResult } from './scale/bigMeetingResult.js'
import { type MeetingOf8Result, meetingOf8 } from './scale/meetingOf8.js'

/** Meeting sizes, in order; `300-open` is 300 without auth (no token, no hello signed or verified). */
const SIZES = (process.env.BENCH_SCALE_SIZES ?? '100,300,1000').split(',').filter(Boolean)
const AUTH = process.env.BENCH_SCALE_AUTH !== '0'
const GROUPS = Number(process.env.BENCH_SCALE_GROUPS ?? 4)
const TRIALS = Number(process.env.BENCH_SCALE_TRIALS ?? 10)
// A town hall fills over tens of seconds, not at once: 20 joins a second (1,000 in 50 s).

export interface ScaleResult {
  auth: boolean
  sizes: Array<BigMeetingResult | (NotMeasured & { n: number; auth: boolean })>
  meetingOf8: MeetingOf8Result | NotMeasured
}

export async function run(): Promise<ScaleResult> {
  const sizes: ScaleResult['sizes'] = []
  for (const size of SIZES) {
    const n = Number.parseInt(size, 10)
    const auth = AUTH && !size.endsWith('-open')
    const started = performance.now()
    try {
      sizes.push(
        await bigMeeting({
          n,
          groups: Math.min(GROUPS, n),
          auth,
          concurrency: Number(process.env.BENCH_SCALE_CONCURRENCY ?? 10),
          joinsPerSecond: Number(process.env.BENCH_SCALE_JOIN_RATE ?? 20),
          steadySeconds: 10,
          leaveTrials: Math.min(10, Math.floor(n / 4)),
        }),
      )
    } catch (error) {
      sizes.push({ n, auth, notMeasured: error instanceof Error ? error.message : String(error) })
    }
    progress(`N=${n} done in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  }
  let of8: ScaleResult['meetingOf8']
  try {
    of8 = process.env.BENCH_SCALE_SKIP_8
      ? { notMeasured: 'skipped' }
      : await meetingOf8({ trials: TRIALS, auth: AUTH })
  } catch (error) {
    of8 = { notMeasured: error instanceof Error ? error.message : String(error) }
  }
  return { auth: AUTH, sizes, meetingOf8: of8 }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(run)
