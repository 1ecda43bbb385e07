/**
 * Latency over real WebRTC on loopback: a real PeerServer (@convene/server), participants in their own
 * Node processes with node-datachannel and @convene/transport-peerjs, and core's default timings.
 */
import { createConveneServer } from '@convene/server'
import { main, type NotMeasured, progress } from './lib/output.js'
import { type Distribution, distribution } from './lib/stats.js'
import { Participant } from './webrtc/Participant.js'

const TRIALS = Number(process.env.BENCH_TRIALS ?? 20)
const MEETING = 'bench'

export interface LatencyResult {
  trials: number
  rows: Array<{ name: string; ms: Distribution | NotMeasured }>
}

type Rows = LatencyResult['rows']

async function measured(rows: Rows, name: string, scenario: (record: (ms: number) => void) => Promise<void>) {
  const samples: number[] = []
  const started = performance.now()
  try {
    await scenario((ms) => samples.push(ms))
    rows.push({ name, ms: distribution(samples) })
  } catch (error) {
    const why = `${samples.length} of ${TRIALS} trials, then ${error instanceof Error ? error.message : String(error)}`
    rows.push({ name, ms: samples.length >= TRIALS ? distribution(samples) : { notMeasured: why } })
  }
  progress(
    `${name}: ${JSON.stringify(rows.at(-1)?.ms)} (${((performance.now() - started) / 1000).toFixed(0)} s)`,
  )
}

const now = () => performance.timeOrigin + performance.now()
const left = (id: string, reason: string) => (r: { event?: string; id?: unknown; reason?: unknown }) =>
  r.event === 'participant-left' && r.id === id && r.reason === reason
const joinedBy = (id: string) => (r: { event?: string; id?: unknown }) =>
  r.event === 'participant-joined' && r.id === id

async function joinAll(group: Participant[]): Promise<void> {
  await Promise.all(group.map((p) => p.command('join')))
  // Joined, and every pair has said hello: each sees all the others.
  for (let attempt = 0; ; attempt++) {
    const rosters = await Promise.all(group.map((p) => p.command('roster')))
    if (rosters.every((r) => (r.roster as string[]).length === group.length - 1)) return
    if (attempt > 300)
      throw new Error(`rosters did not converge: ${JSON.stringify(rosters.map((r) => r.roster))}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

export async function run(): Promise<LatencyResult | NotMeasured> {
  let server: Awaited<ReturnType<typeof createConveneServer>>
  try {
    server = await createConveneServer({ port: 0, logger: 'silent' })
  } catch (error) {
    return { notMeasured: `@convene/server did not start: ${String(error)}` }
  }
  const start = (id: string, role: 'host' | 'participant' = 'participant') =>
    Participant.start({ port: server.port, meetingId: MEETING, id, role })
  const everyone: Participant[] = []
  const rows: Rows = []
  try {
    const ids = ['host', 'b', 'c', 'd', 'e', 'f', 'g', 'h']
    everyone.push(...(await Promise.all(ids.map((id) => start(id, id === 'host' ? 'host' : 'participant')))))
    const [host, b, c, d] = everyone as [Participant, Participant, Participant, Participant]
    await joinAll([host, b, c])

    // 4-person mesh: the fourth joins (join() to meeting-joined), then leaves (leave() to the last
    // participant-left(left) among the three others).
    const leaves: number[] = []
    await measured(rows, 'join, 4th of a 4-person mesh (join() → meeting-joined)', async (record) => {
      for (let t = 0; t < TRIALS; t++) {
        const reply = await d.command('join')
        const joined = await d.waitFor((r) => r.event === 'meeting-joined', 30_000, reply.started)
        record(joined.at - reply.started!)
        await Promise.all([host, b, c].map((p) => p.waitFor(joinedBy('d'), 30_000, reply.started)))
        const leaveAt = d.fire('leave')
        const seen = await Promise.all([host, b, c].map((p) => p.waitFor(left('d', 'left'), 30_000, leaveAt)))
        leaves.push(Math.max(...seen.map((r) => r.at)) - leaveAt)
        await d.waitFor((r) => r.event === 'meeting-left', 30_000, leaveAt)
      }
    })
    rows.push({
      name: 'leave propagation to 3 others (leave() → last participant-left)',
      ms: distribution(leaves),
    })

    // A joined 4-mesh loses one participant to SIGKILL: time until the last other declares it gone.
    await measured(
      rows,
      'crash detection, 3 observers (SIGKILL → participant-left disconnected)',
      async (record) => {
        let next = start('victim-0')
        for (let t = 0; t < TRIALS; t++) {
          const victim = await next
          const id = `victim-${t}`
          const since = now()
          await victim.command('join')
          await Promise.all([host, b, c].map((p) => p.waitFor(joinedBy(id), 30_000, since)))
          next = start(`victim-${t + 1}`) // boots while this one is being detected
          const crashAt = victim.crash()
          const seen = await Promise.all(
            [host, b, c].map((p) => p.waitFor(left(id, 'disconnected'), 30_000, crashAt)),
          )
          record(Math.max(...seen.map((r) => r.at)) - crashAt)
        }
        await (await next).stop()
      },
    )

    // The host ends the meeting for 7 others: end() to the last meeting-left(ended).
    await measured(rows, 'end propagation to 7 others (end() → last meeting-left ended)', async (record) => {
      let retries = 0
      for (let t = 0; t < TRIALS; t++) {
        try {
          await endTrial(record)
        } catch (error) {
          // node-datachannel has been seen to take a process down under load: replace it, redo the trial.
          if (++retries > 3 || everyone.every((p) => p.alive)) throw error
          progress(`end trial ${t} lost a participant (${String(error)}); restarting it`)
          await Promise.all(everyone.map((p) => p.alive && p.command('leave').catch(() => {})))
          for (const [i, p] of everyone.entries()) {
            if (!p.alive) everyone[i] = await start(p.id, i === 0 ? 'host' : 'participant')
          }
          t -= 1
        }
      }
    })
    async function endTrial(record: (ms: number) => void) {
      const [host, ...others] = everyone as [Participant, ...Participant[]]
      await joinAll(everyone)
      const endAt = host.fire('end')
      const seen = await Promise.all(
        others.map((p) =>
          p.waitFor((r) => r.event === 'meeting-left' && r.reason === 'ended', 30_000, endAt),
        ),
      )
      record(Math.max(...seen.map((r) => r.at)) - endAt)
      await host.waitFor((r) => r.event === 'meeting-left', 30_000, endAt)
    }
  } catch (error) {
    rows.push({ name: 'setup', ms: { notMeasured: error instanceof Error ? error.message : String(error) } })
  } finally {
    await Promise.all(everyone.map((p) => p.stop()))
    await server.close()
  }
  return { trials: TRIALS, rows }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(run)
