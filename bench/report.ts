import type { BundleResult } from './bundle-size.js'
import type { ChromiumLifecycleResult } from './chromium-lifecycle.js'
import type { WalkThroughResult } from './chromium-walkthrough.js'
import type { ThroughputResult } from './core-throughput.js'
import { fmt, missing, table } from './lib/table.js'
import type { MemoryResult } from './memory.js'
import type { ReactRendersResult } from './react-renders.jsx'
import { scaleTables } from './scale/table.js'
import type { LatencyResult } from './webrtc-latency.js'

type Maybe<T> = T | { notMeasured: string }
interface Results {
  machine: {
    cpus: number
    cpu: string
    node: string
    loadAverageBefore: number[]
    loadAverageAfter: number[]
  }
  benches: Record<string, unknown>
}

const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met')

function throughput(result: Maybe<ThroughputResult>): string {
  if (missing(result)) return `not measured: ${result.notMeasured}`
  const sizes = [...new Set(result.rows.map((r) => r.n))]
  const subjects = [...new Set(result.rows.map((r) => r.subject))]
  const at = (s: string, n: number) => result.rows.find((r) => r.subject === s && r.n === n)!
  const main = table(
    ['ns/event (CPU)', ...sizes.map((n) => `N=${fmt(n)}`), 'flat 10→10k', 'vs 1-step floor'],
    subjects.map((s) => {
      const summary = result.summary.find((x) => x.subject === s)!
      return [
        s,
        ...sizes.map((n) => fmt(at(s, n).nsPerEvent)),
        `${summary.flatness}x`,
        // Older results.json files have no vsFloor.
        summary.vsFloor ? sizes.map((n) => `${summary.vsFloor[n]}x`).join(' / ') : '-',
      ]
    }),
  )
  const types = table(
    ['median ns per message', ...sizes.map((n) => `N=${fmt(n)}`)],
    subjects.flatMap((s) =>
      (['join', 'heartbeat', 'leave'] as const).map((t) => [
        `${s}: ${t}`,
        ...sizes.map((n) => fmt(at(s, n).nsPerType[t])),
      ]),
    ),
  )
  // Older results.json files have no oldGeneration.
  const bytes = (row: ThroughputResult['rows'][number]) =>
    row.oldGeneration ? `${fmt(row.oldGeneration.promoted)} + ${fmt(row.oldGeneration.pretenured)}` : '-'
  const old = table(
    ['B/message to the old generation: promoted + pretenured', ...sizes.map((n) => `N=${fmt(n)}`)],
    subjects.map((s) => [s, ...sizes.map((n) => bytes(at(s, n)))]),
  )
  const ticks = table(
    ['local tick (heartbeat + sweep)', ...sizes.map((n) => `N=${fmt(n)}`)],
    [['convene machine, µs', ...sizes.map((n) => String(at('convene machine', n).tickMicros ?? '-'))]],
  )
  const convene = result.summary.find((x) => x.subject === 'convene machine')!
  const worst = Math.max(...Object.values(convene.vsFloor ?? { none: Number.NaN }))
  return [
    main,
    '',
    types,
    '',
    old,
    '',
    ticks,
    '',
    `Target flat (≤1.3x from 10 to 10,000), convene machine: ${convene.flatness}x, ${verdict(convene.flatness <= 1.3)}`,
    `Target ≤2x the one-step floor (bare XState, 1 step), convene machine: worst ${worst}x, ${verdict(worst <= 2)}`,
  ].join('\n')
}

function memory(result: Maybe<MemoryResult>): string {
  if (missing(result)) return `not measured: ${result.notMeasured}`
  const ten = result.tenThousand
  const rows: Array<[string, string]> = [
    ['idle meeting (createMeeting, not joined)', `${result.idleMeetingKB} kB`],
    ['  a meetingMachine.provide() (no longer per meeting)', `${result.provideKB} kB`],
    ['joined, alone', `${result.joinedAloneKB} kB`],
    ['joined, 100 participants', `${result.joined100KB} kB`],
    ['per remote participant', `${result.perParticipantBytes} B`],
    ['per departed participant (kept for the session)', `${result.perDepartedBytes} B`],
  ]
  if (missing(ten)) rows.push(['10,000 meetings', `not measured: ${ten.notMeasured}`])
  else {
    rows.push(
      ['10,000 joined meetings: heap', `${ten.heapMB} MB (rss ${ten.rssMB} MB)`],
      ['10,000 joined meetings: created in', `${ten.createSeconds} s`],
      ['10,000 joined meetings: CPU of their heartbeat clocks', `${ten.idleCpuPercent}% of a core`],
    )
  }
  return [
    table(['memory', 'retained'], rows),
    '',
    `Target idle meeting ≤12 kB: ${result.idleMeetingKB} kB, ${verdict(result.idleMeetingKB <= 12)}`,
    `Target joined with 100 participants ≤40 kB: ${result.joined100KB} kB, ${verdict(result.joined100KB <= 40)}`,
  ].join('\n')
}

function bundles(result: Maybe<BundleResult>): string {
  if (missing(result)) return `not measured: ${result.notMeasured}`
  const rows = table(
    ['bundle (esbuild, minified, react external)', 'min', 'min+gz', 'largest parts (min)'],
    result.rows.map((r) => [
      r.name,
      `${(r.minBytes / 1024).toFixed(1)} kB`,
      `${(r.gzipBytes / 1024).toFixed(1)} kB`,
      r.topPackages
        .slice(0, 3)
        .map((p) => `${p.pkg} ${(p.bytes / 1024).toFixed(0)}k`)
        .join(', '),
    ]),
  )
  // Each transport on its own: an app ships one of them.
  const targets = result.rows
    .filter((r) => r.name.startsWith('rxjs'))
    .map((r) => {
      const budget = r.budget?.gzipBytes ?? 5 * 1024
      const transport = r.name.replace(/^rxjs, as (\S+) imports it$/, '$1')
      return `Target RxJS < 5 kB gzip in an app, as ${transport} imports it: ${(r.gzipBytes / 1024).toFixed(1)} kB (${r.gzipBytes} B of ${budget}), ${verdict(r.gzipBytes < budget)}`
    })
  return targets.length === 0 ? rows : `${rows}\n\n${targets.join('\n')}`
}

function renders(result: Maybe<ReactRendersResult>): string {
  if (missing(result)) return `not measured: ${result.notMeasured}`
  return table(
    ['React, 50 in the meeting, per join', 'renders per join', 'note'],
    result.rows.map((r) => [r.component, String(r.rendersPerJoin), r.note]),
  )
}

function latency(result: Maybe<LatencyResult>): string {
  if (missing(result)) return `not measured: ${result.notMeasured}`
  return table(
    ['WebRTC loopback (ms)', 'trials', 'p50', 'p95', 'max'],
    result.rows.map((r) =>
      missing(r.ms)
        ? [r.name, '-', `not measured: ${r.ms.notMeasured}`, '', '']
        : [r.name, String(r.ms.n), String(r.ms.p50), String(r.ms.p95), String(r.ms.max)],
    ),
  )
}

function chromiumLifecycle(result: Maybe<ChromiumLifecycleResult>): string {
  if (missing(result)) return `not measured: ${result.notMeasured}`
  const times = table(
    ['Chromium playground (ms)', 'n', 'p50', 'p95', 'max'],
    result.rows.map((r) =>
      missing(r.ms)
        ? [r.name, '-', `not measured: ${r.ms.notMeasured}`, '', '']
        : [r.name, String(r.ms.n), String(r.ms.p50), String(r.ms.p95), String(r.ms.max)],
    ),
  )
  const counts = table(
    ['Chromium playground', 'count', 'over'],
    result.counts.map((c) => [c.name, String(c.count), c.of]),
  )
  return `${times}\n\n${counts}`
}

function chromiumWalkThrough(result: Maybe<WalkThroughResult>): string {
  if (missing(result)) return `not measured: ${result.notMeasured}`
  const runs = table(
    ['walk-through', 'load', 'false departures', 'slowest roster (ms)', 'right at the end'],
    result.runs.map((r, i) => {
      const slowest = r.steps.some((s) => s.rosterRightMs === null)
        ? 'never right'
        : String(Math.max(...r.steps.map((s) => s.rosterRightMs ?? 0)))
      return [
        String(i + 1),
        r.load.join(' → '),
        String(r.falseDepartures.filter((d) => d.live).length),
        slowest,
        String(r.rostersRightAtEnd),
      ]
    }),
  )
  const counts = table(
    ['Chromium walk-through', 'count', 'over'],
    result.counts.map((c) => [c.name, String(c.count), c.of]),
  )
  return `${runs}\n\n${counts}`
}

export function printReport(results: Results): void {
  const b = results.benches
  const m = results.machine
  const sections: Array<[string, string | undefined]> = [
    [
      'Core throughput (one joined meeting, remote join/heartbeat/leave)',
      b['core-throughput'] ? throughput(b['core-throughput'] as never) : undefined,
    ],
    ['Memory', b.memory ? memory(b.memory as never) : undefined],
    ['Bundle size', b['bundle-size'] ? bundles(b['bundle-size'] as never) : undefined],
    ['React renders', b['react-renders'] ? renders(b['react-renders'] as never) : undefined],
    [
      'Latency over real WebRTC (node-datachannel, loopback)',
      b['webrtc-latency'] ? latency(b['webrtc-latency'] as never) : undefined,
    ],
    [
      'The playground in Chromium (4 tabs on this machine)',
      b['chromium-lifecycle'] ? chromiumLifecycle(b['chromium-lifecycle'] as never) : undefined,
    ],
    [
      'The playground walked through in Chromium (5 camera tabs: join, leave, remove, rejoin, end)',
      b['chromium-walkthrough'] ? chromiumWalkThrough(b['chromium-walkthrough'] as never) : undefined,
    ],
    [
      'Real WebRTC on a lossy network (netns, nftables drop a share of all UDP)',
      b['webrtc-lossy'] ? latency(b['webrtc-lossy'] as never) : undefined,
    ],
    [
      'Scale: the Socket.IO relay on two nodes and Redis; a meeting of 8 on both transports',
      b.scale ? scaleTables(b.scale as never) : undefined,
    ],
  ]
  console.log(
    `\nConvene bench — ${m.cpus} × ${m.cpu}, Node ${m.node}, load ${m.loadAverageBefore[0]} → ${m.loadAverageAfter[0]}`,
  )
  for (const [title, body] of sections) if (body) console.log(`\n## ${title}\n${body}`)
}
