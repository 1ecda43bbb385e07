/**
 * Core throughput: cost per inbound message of a joined meeting (participant join, heartbeat, leave)
 * at N remote participants, next to the interpreter's floor (bare XState) and the physical floor (a
 * plain reducer), all in this one process and run.
 */
import { type OldGenerationBytes, oldGenerationBytes } from './core/oldGeneration.js'
import type { Subject } from './core/subjects.js'
import type { InboundMessage, Workload } from './core/workload.js'
import { compileForNode } from './lib/compile.js'
import { main, progress } from './lib/output.js'
import { median, round } from './lib/stats.js'

const SIZES = [10, 100, 1_000, 10_000] as const
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20_000)
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3)
// Passes over every subject at one N, in a rotated order: each subject's pass sits next to the floor's in
// time, so a swing of this shared machine's load lands on both sides of a ratio instead of on one.
const PASSES = Number(process.env.BENCH_PASSES ?? 3)
const FLOOR = 'bare XState, 1 step'

type Compiled = typeof import('./core/subjects.js')
const compiled: Compiled = await import(await compileForNode('../core/subjects.ts', 'subjects'))
const SUBJECTS: Record<string, () => Subject | Promise<Subject>> = {
  'convene machine': compiled.conveneMachine,
  'convene facade': compiled.conveneFacade,
  'bare XState': compiled.bareXState,
  'bare XState, wide ctx': compiled.bareXStateWide,
  'bare XState, 1 step': compiled.bareXStateOneStep,
  'bare XState, 1 step + emit': compiled.bareXStateOneStepEmit,
  'bare XState, 1 step + protocol': compiled.bareXStateProtocol,
  'plain reducer': compiled.plainReducer,
}

export interface ThroughputRow {
  subject: string
  n: number
  /** Rounds (join + heartbeat + leave) per repeat. */
  rounds: number
  /** Median over repeats of the mixed join/heartbeat/leave loop, in CPU time. */
  nsPerEvent: number
  eventsPerSecond: number
  /** Per message type: median of events timed one by one (wall clock, timer overhead subtracted). */
  nsPerType: { join: number; heartbeat: number; leave: number }
  /** One local heartbeat tick (heartbeat out + departure sweep over N), where the subject has one. */
  tickMicros?: number
  /**
   * Bytes per message that reached the old generation over the timed repeats (`oldGeneration.ts`),
   * the bench's own messages included (built before each repeat, the same for every subject).
   */
  oldGeneration?: OldGenerationBytes
}

// CPU time of this process, not wall time: other work on a shared 2-core machine must not be billed here.
function timeLoop(subject: Subject, events: InboundMessage[]): number {
  const start = process.cpuUsage()
  for (let i = 0; i < events.length; i++) subject.send(events[i] as InboundMessage)
  const used = process.cpuUsage(start)
  return ((used.user + used.system) * 1e3) / events.length
}

function timerOverheadNs(): number {
  const samples: number[] = []
  for (let r = 0; r < 5; r++) {
    let sum = 0
    for (let i = 0; i < 100_000; i++) {
      const t = performance.now()
      sum += performance.now() - t
    }
    samples.push((sum * 1e6) / 100_000)
  }
  return median(samples)
}

// The median of events timed one by one: robust to the odd preemption or GC pause landing on one event.
function timeByType(subject: Subject, events: InboundMessage[], overhead: number) {
  const samples: number[][] = [[], [], []]
  for (let i = 0; i < events.length; i++) {
    const t = performance.now()
    subject.send(events[i] as InboundMessage)
    samples[i % 3]!.push((performance.now() - t) * 1e6)
  }
  const ns = (k: number) => round(Math.max(0, median(samples[k]!) - overhead), 0)
  return { join: ns(0), heartbeat: ns(1), leave: ns(2) }
}

async function measure(name: string, n: number, overhead: number): Promise<ThroughputRow> {
  const subject = await SUBJECTS[name]!()
  const workload = new compiled.Workload()
  for (const event of workload.preload(n)) subject.send(event)
  let tickMicros: number | undefined
  if (subject.tick) {
    // Two ticks: nobody has been silent for the departure timeout yet, so this is the sweep's pure cost.
    const ticks: number[] = []
    for (let i = 0; i < 2; i++) {
      const t = performance.now()
      subject.tick()
      ticks.push((performance.now() - t) * 1000)
    }
    tickMicros = round(median(ticks), 1)
  }
  // Warm-up lets the JIT settle and sizes the loop: each repeat gets about 200 ms of CPU, so an O(N)
  // subject at N=10,000 does not blow the time budget while a fast one still runs thousands of rounds.
  const warm = timeLoop(subject, workload.rounds(500))
  const rounds = Math.max(100, Math.min(ROUNDS, Math.round(2e8 / (3 * warm))))
  const samples: number[] = []
  const oldGeneration = oldGenerationBytes(REPEATS * rounds * 3, () => {
    for (let r = 0; r < REPEATS; r++) samples.push(timeLoop(subject, workload.rounds(rounds)))
  })
  const nsPerType = timeByType(subject, workload.rounds(rounds), overhead)
  verify(name, subject, workload, n)
  const nsPerEvent = round(median(samples), 0)
  return {
    subject: name,
    n,
    rounds,
    nsPerEvent,
    eventsPerSecond: Math.round(1e9 / nsPerEvent),
    nsPerType,
    ...(tickMicros === undefined ? {} : { tickMicros }),
    ...(oldGeneration === undefined ? {} : { oldGeneration }),
  }
}

// A fast number that did no work is worse than no number: check the roster is what the messages say.
function verify(name: string, subject: Subject, workload: Workload, n: number) {
  if (name.startsWith('bare XState')) return
  const present = workload.presentSessions()
  const size = subject.rosterSize()
  const newest = compiled.participantIdOf(present.at(-1) as string)
  const gone = compiled.participantIdOf(`s${Number((present[0] as string).slice(1)) - 1}`)
  if (size !== n || !subject.has(newest) || subject.has(gone)) {
    throw new Error(
      `${name} at N=${n}: roster ${size}, has newest ${subject.has(newest)}, has gone ${subject.has(gone)}`,
    )
  }
}

export interface ThroughputResult {
  rounds: number
  repeats: number
  /** Passes over every subject at each N, in rotated order (`vsFloor` pairs each pass with the floor's). */
  passes: number
  timerOverheadNs: number
  rows: ThroughputRow[]
  summary: Array<{
    subject: string
    /** ns/event at N=10,000 over ns/event at N=10 (target ≤ 1.3 for convene). */
    flatness: number
    /** ns/event over bare XState's (two steps) at each N. */
    vsXState: Record<number, number>
    /** At each N, the median over passes of ns/event over the one-step floor's in the same pass (target ≤ 2 for convene). */
    vsFloor: Record<number, number>
    vsReducer: Record<number, number>
  }>
}

/** A subject's row from its passes: the median of each figure. */
function combine(passes: ThroughputRow[]): ThroughputRow {
  const first = passes[0] as ThroughputRow
  const of = (figure: (row: ThroughputRow) => number | undefined) => {
    const values = passes.map(figure).filter((value) => value !== undefined)
    return values.length === 0 ? undefined : round(median(values), 1)
  }
  const nsPerEvent = round(median(passes.map((row) => row.nsPerEvent)), 0)
  const tickMicros = of((row) => row.tickMicros)
  const promoted = of((row) => row.oldGeneration?.promoted)
  const pretenured = of((row) => row.oldGeneration?.pretenured)
  return {
    ...first,
    nsPerEvent,
    eventsPerSecond: Math.round(1e9 / nsPerEvent),
    nsPerType: {
      join: round(median(passes.map((row) => row.nsPerType.join)), 0),
      heartbeat: round(median(passes.map((row) => row.nsPerType.heartbeat)), 0),
      leave: round(median(passes.map((row) => row.nsPerType.leave)), 0),
    },
    ...(tickMicros === undefined ? {} : { tickMicros }),
    ...(promoted === undefined || pretenured === undefined
      ? {}
      : { oldGeneration: { promoted, pretenured } }),
  }
}

export async function run(): Promise<ThroughputResult> {
  const overhead = timerOverheadNs()
  const names = Object.keys(SUBJECTS)
  const rows: ThroughputRow[] = []
  // Each subject's cost over the floor's in the same pass, per N: the median of those is the ratio.
  const pairedVsFloor = new Map<string, Record<number, number>>(names.map((name) => [name, {}]))
  // One discarded pass, so the first subject measured is not the one that pays for a cold JIT.
  for (const name of names) await measure(name, 10, overhead)
  for (const n of SIZES) {
    const passes = new Map<string, ThroughputRow[]>(names.map((name) => [name, []]))
    for (let pass = 0; pass < PASSES; pass++) {
      const order = [...names.slice(pass % names.length), ...names.slice(0, pass % names.length)]
      for (const name of order) passes.get(name)?.push(await measure(name, n, overhead))
    }
    const floor = passes.get(FLOOR) ?? []
    for (const name of names) {
      const own = passes.get(name) ?? []
      const row = combine(own)
      progress(`${name.padEnd(16)} N=${String(n).padEnd(6)} ${row.nsPerEvent} ns/event`)
      rows.push(row)
      const ratios = own.map((row, i) => row.nsPerEvent / (floor[i]?.nsPerEvent ?? Number.NaN))
      const paired = pairedVsFloor.get(name)
      if (paired) paired[n] = round(median(ratios), 2)
    }
  }
  const at = (subject: string, n: number) => rows.find((r) => r.subject === subject && r.n === n)!.nsPerEvent
  const summary = names.map((subject) => ({
    subject,
    flatness: round(at(subject, 10_000) / at(subject, 10), 2),
    vsXState: Object.fromEntries(SIZES.map((n) => [n, round(at(subject, n) / at('bare XState', n), 2)])),
    vsFloor: pairedVsFloor.get(subject) ?? {},
    vsReducer: Object.fromEntries(SIZES.map((n) => [n, round(at(subject, n) / at('plain reducer', n), 1)])),
  }))
  return {
    rounds: ROUNDS,
    repeats: REPEATS,
    passes: PASSES,
    timerOverheadNs: round(overhead, 0),
    rows,
    summary,
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(run)
