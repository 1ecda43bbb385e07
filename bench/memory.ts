/**
 * Memory: retained heap per idle meeting, per joined meeting with 100 participants, and 10,000 joined
 * meetings in one process (with the heartbeat clock running). Needs `node --expose-gc` (bench/run.ts
 * passes it).
 */
import type { Meeting } from '@convene/core'
import { compileForNode } from './lib/compile.js'
import { main, type NotMeasured, progress } from './lib/output.js'
import { round } from './lib/stats.js'

type Compiled = typeof import('./core/meetings.js')
const compiled: Compiled = await import(await compileForNode('../core/meetings.ts', 'meetings'))

const gc = (globalThis as { gc?: () => void }).gc

/**
 * Heap plus `arrayBuffers`: a typed array over 64 bytes keeps its contents outside V8's heap (core's
 * presences live in typed-array columns), where `heapUsed` would not see them.
 */
function settledHeap(): number {
  for (let i = 0; i < 4; i++) gc?.()
  const usage = process.memoryUsage()
  return usage.heapUsed + usage.arrayBuffers
}

/** Retained bytes per item: heap after holding `count` of them, minus heap before, over `count`. */
async function perItem(count: number, make: (i: number) => Promise<unknown> | unknown): Promise<number> {
  const held: unknown[] = []
  const before = settledHeap()
  for (let i = 0; i < count; i++) held.push(await make(i))
  const after = settledHeap()
  if (held.length !== count) throw new Error('lost items')
  return (after - before) / count
}

export interface MemoryResult {
  /** createMeeting, not joined. */
  idleMeetingKB: number
  /** What a `meetingMachine.provide()` costs: `createMeeting` used to pay it per meeting, and no longer does. */
  provideKB: number
  /** Joined, 0 remote participants. */
  joinedAloneKB: number
  /** Joined, 100 remote participants (roster, presence, links, public snapshot). */
  joined100KB: number
  /** What one more remote participant costs in a joined meeting. */
  perParticipantBytes: number
  /** What a remote participant who left leaves behind (kept so a late duplicate cannot rejoin). */
  perDepartedBytes: number
  tenThousand:
    | {
        meetings: number
        heapMB: number
        rssMB: number
        createSeconds: number
        /** CPU share of one core spent on their heartbeat clocks (1 tick per meeting per second). */
        idleCpuPercent: number
      }
    | NotMeasured
}

export async function run(): Promise<MemoryResult | NotMeasured> {
  if (!gc) return { notMeasured: 'run with node --expose-gc' }
  const idle = await perItem(2_000, (i) => compiled.pipeMeeting(`me${i}`))
  progress(`idle meeting ${(idle / 1024).toFixed(1)} kB`)
  const provided = await perItem(2_000, () => compiled.providedMachine())
  progress(`a meetingMachine.provide() (no longer per meeting) ${(provided / 1024).toFixed(1)} kB`)
  const alone = await perItem(1_000, async (i) => {
    const pipe = compiled.pipeMeeting(`me${i}`)
    await compiled.joinWith(pipe, 0)
    return pipe
  })
  progress(`joined alone ${(alone / 1024).toFixed(1)} kB`)
  const with100 = await perItem(200, async (i) => {
    const pipe = compiled.pipeMeeting(`me${i}`)
    await compiled.joinWith(pipe, 100)
    return pipe
  })
  progress(`joined with 100 ${(with100 / 1024).toFixed(1)} kB`)
  const departed = await departedCost()
  progress(`departed participant ${departed.toFixed(0)} B`)
  const tenThousand = await tenThousandMeetings()
  return {
    idleMeetingKB: round(idle / 1024),
    provideKB: round(provided / 1024),
    joinedAloneKB: round(alone / 1024),
    joined100KB: round(with100 / 1024),
    perParticipantBytes: Math.round((with100 - alone) / 100),
    perDepartedBytes: Math.round(departed),
    tenThousand,
  }
}

async function departedCost(): Promise<number> {
  const pipe = compiled.pipeMeeting('me')
  await compiled.joinWith(pipe, 0)
  const push = (e: { linkId: string; data: unknown }) => pipe.push({ type: 'message', ...e })
  // Warm the maps up first, so the measurement is the steady state rather than their first growth.
  const workload = new compiled.Workload()
  for (const e of workload.preload(1)) push(e)
  const before = settledHeap()
  const rounds = 5_000
  const events = workload.rounds(rounds)
  for (const e of events) push(e)
  // Emptied by hand: a `for … of` over a temporary array left it alive in this frame at the next
  // measurement, and the bench's own messages (about 0.5 kB a round) were counted as the meeting's.
  events.length = 0
  const after = settledHeap()
  return (after - before) / rounds
}

async function tenThousandMeetings(): Promise<MemoryResult['tenThousand']> {
  const count = 10_000
  const meetings: Meeting[] = []
  const before = settledHeap()
  const start = performance.now()
  // Default timings: every meeting's heartbeat clock ticks once a second, as in a real app.
  for (let i = 0; i < count; i++) {
    const pipe = compiled.pipeMeeting(`me${i}`, {})
    await compiled.joinWith(pipe, 1)
    meetings.push(pipe.meeting)
  }
  const createSeconds = (performance.now() - start) / 1000
  const heap = settledHeap() - before
  const cpu = process.cpuUsage()
  const wall = performance.now()
  await new Promise((resolve) => setTimeout(resolve, 3_000))
  const used = process.cpuUsage(cpu)
  const idleCpuPercent = ((used.user + used.system) / 1000 / (performance.now() - wall)) * 100
  const joined = meetings.filter((m) => m.meetingState === 'CONNECTED').length
  if (joined !== count) return { notMeasured: `only ${joined} of ${count} meetings stayed joined` }
  progress(`10,000 meetings: ${(heap / 2 ** 20).toFixed(0)} MB heap, ${idleCpuPercent.toFixed(0)}% CPU idle`)
  return {
    meetings: count,
    heapMB: round(heap / 2 ** 20),
    rssMB: round(process.memoryUsage().rss / 2 ** 20),
    createSeconds: round(createSeconds, 1),
    idleCpuPercent: round(idleCpuPercent),
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(run)
