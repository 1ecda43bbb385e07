import type { BundleResult } from './bundle-size.js'
import type { ChromiumLifecycleResult } from './chromium-lifecycle.js'
import type { ThroughputResult } from './core-throughput.js'
import type { Distribution } from './lib/stats.js'
import type { MemoryResult } from './memory.js'
import type { ReactRendersResult } from './react-renders.jsx'
import type { BigMeetingResult } from './scale/bigMeeting.js'
import type { ScaleResult } from './scale.js'
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

const missing = (value: unknown): value is { notMeasured: string } =>
  typeof value === 'object' && value !== null && 'notMeasured' in value

function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cells = [headers, ...rows.map((r) => r.map(String))]
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)))
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`
  return [
    line(cells[0]!),
    `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`,
    ...cells.slice(1).map(line),
  ].join('\n')
}

const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met')
const fmt = (n: number) => n.toLocaleString('en-US')

function throughput(result: Maybe<ThroughputResult>): string {
  if (missing(result)) return `not measured: ${result.notMeasured}`
  const sizes = [...new Set(result.rows.map((r) => r.n))]
  const subjects = [...new Set(result.rows.map((r) => r.subject))]
  const at = (s: string, n: number) => result.rows.find((r) => r.subject === s && r.n === n)!
  const main = table(
    ['ns/event (CPU)', ...sizes.map((n) => `N=${fmt(n)}`), 'flat 10→10k', 'vs bare XState @10k'],
    subjects.map((s) => {
      const summary = result.summary.find((x) => x.subject === s)!
      return [
        s,
        ...sizes.map((n) => fmt(at(s, n).nsPerEvent)),
        `${summary.flatness}x`,
        `${summary.vsXState[10_000]}x`,
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
  const ticks = table(
    ['local tick (heartbeat + sweep)', ...sizes.map((n) => `N=${fmt(n)}`)],
    [['convene machine, µs', ...sizes.map((n) => String(at('convene machine', n).tickMicros ?? '-'))]],
  )
  const convene = result.summary.find((x) => x.subject === 'convene machine')!
  const worst = Math.max(...Object.values(convene.vsXState))
  return [
    main,
    '',
    types,
    '',
    ticks,
    '',
    `Target flat (≤1.3x from 10 to 10,000), convene machine: ${convene.flatness}x, ${verdict(convene.flatness <= 1.3)}`,
    `Target ≤1.5x bare XState, convene machine: worst ${worst}x, ${verdict(worst <= 1.5)}`,
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
  return table(['memory', 'retained'], rows)
}

function bundles(result: Maybe<BundleResult>): string {
  if (missing(result)) return `not measured: ${result.notMeasured}`
  return table(
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

const spread = (d: Distribution | { notMeasured: string }) =>
  missing(d)
    ? `not measured: ${d.notMeasured}`
    : `${fmt(d.p50)} / ${fmt(d.p95)} (n=${d.n}, max ${fmt(d.max)})`

function scale(result: Maybe<ScaleResult>): string {
  if (missing(result)) return `not measured: ${result.notMeasured}`
  const sizes = result.sizes
  const cell = (pick: (r: Exclude<(typeof sizes)[number], { notMeasured: string }>) => string) =>
    sizes.map((r) => ('notMeasured' in r ? `not measured: ${r.notMeasured}` : pick(r)))
  const steady = (pick: (s: Exclude<BigMeetingResult['steady'], { notMeasured: string }>) => string) =>
    cell((r) => (missing(r.steady) ? `not measured: ${r.steady.notMeasured}` : pick(r.steady)))
  const failover = (pick: (f: Exclude<BigMeetingResult['failover'], { notMeasured: string }>) => string) =>
    cell((r) => (missing(r.failover) ? `not measured: ${r.failover.notMeasured}` : pick(r.failover)))
  const big = table(
    [
      'one meeting over the relay, 2 nodes + Redis',
      ...sizes.map((r) => `N=${fmt(r.n)}${r.auth ? ', auth' : ', no auth'}`),
      'target',
    ],
    [
      [
        'all joined: first join() → last roster whole (s)',
        ...cell((r) =>
          r.join.allSeconds === null ? `no: ${r.join.whole} of ${r.n} whole` : String(r.join.allSeconds),
        ),
        '',
      ],
      [
        '  joins failed (attempts; never joined), rosters min / median / max',
        ...cell(
          (r) =>
            `${r.join.failedAttempts}; ${r.join.failed}, ${r.join.rosters.min} / ${r.join.rosters.median} / ${r.join.rosters.max}`,
        ),
        '0; 0, N − 1',
      ],
      [
        '  during the join: participant-left told; relay sockets dropped',
        ...cell(
          (r) =>
            `${
              Object.entries(r.join.departures)
                .map(([k, v]) => `${k} ${fmt(v)}`)
                .join(', ') || '0'
            }; ${fmt(r.join.relayEvents['relay.dropped'] ?? 0)}`,
        ),
        '0; 0',
      ],
      [
        "  packets through the adapter's Redis stream during the join",
        ...cell((r) => fmt(r.join.streamAdded)),
        '',
      ],
      ['join() → resolved, ms p50 / p95', ...cell((r) => spread(r.join.ms)), ''],
      ['steady: messages into the relay /s', ...steady((s) => fmt(s.inPerSecond)), 'linear in N'],
      ['steady: messages delivered /s', ...steady((s) => fmt(s.outPerSecond)), 'linear in N'],
      [
        'steady: CPU node A, node B (% of a core)',
        ...steady((s) => s.nodeCpuPercent.join(', ')),
        'linear in N',
      ],
      [
        'steady: CPU Redis, all clients (% of a core)',
        ...steady((s) => `${s.redisCpuPercent}, ${s.clientsCpuPercent}`),
        '',
      ],
      ['leave() → last other told, ms p50 / p95', ...cell((r) => spread(r.leave.ms)), '≤ 250 p95'],
      [
        '  the others told, by reason (and told twice)',
        ...cell((r) =>
          Object.entries(r.leave.told)
            .map(([k, v]) => `${k} ${fmt(v)}`)
            .join(', '),
        ),
        'left only, once',
      ],
      [
        'end() → each other told, ms p50 / p95 (max = last)',
        ...cell((r) => `${spread(r.end.ms)}${r.end.notTold ? `; ${r.end.notTold} never told` : ''}`),
        '≤ 1,000 p95',
      ],
      [
        'SIGKILL node A → its participants CONNECTED on B, ms p50 / p95',
        ...failover((f) => `${spread(f.ms)}${f.notBack ? `; ${f.notBack} of ${f.moved} not back` : ''}`),
        '≤ 5,000 p95',
      ],
      [
        '  told participant-left about someone who came back',
        ...failover((f) => fmt(f.falseDepartures)),
        '0',
      ],
      [
        '  a real leave during the outage: observers told (of), told twice',
        ...failover(
          (f) =>
            `${f.outageLeave.told} of ${f.outageLeave.of}, ${f.outageLeave.repeated} twice; ${Object.entries(
              f.outageLeave.reasons,
            )
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')}`,
        ),
        'all, once',
      ],
      ['  rosters exactly right 5 s after', ...failover((f) => `${f.rostersRight} of ${f.present}`), 'all'],
      [
        'errors (onError, by code)',
        ...cell(
          (r) =>
            Object.entries(r.errors)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ') || '0',
        ),
        '0',
      ],
    ],
  )
  const of8 = result.meetingOf8
  const small = missing(of8)
    ? `meeting of 8: not measured: ${of8.notMeasured}`
    : table(
        [`meeting of 8 (ms p50 / p95, ${of8.trials} trials)`, 'PeerJS mesh', 'Socket.IO, 2 nodes + Redis'],
        of8.rows.map((r) => [r.name, spread(r.peerjs), spread(r.socketio)]),
      )
  return `${big}\n\n${small}`
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
      'Real WebRTC on a lossy network (netns, nftables drop a share of all UDP)',
      b['webrtc-lossy'] ? latency(b['webrtc-lossy'] as never) : undefined,
    ],
    [
      'Scale: the Socket.IO relay on two nodes and Redis; a meeting of 8 on both transports',
      b.scale ? scale(b.scale as never) : undefined,
    ],
  ]
  console.log(
    `\nConvene bench — ${m.cpus} × ${m.cpu}, Node ${m.node}, load ${m.loadAverageBefore[0]} → ${m.loadAverageAfter[0]}`,
  )
  for (const [title, body] of sections) if (body) console.log(`\n## ${title}\n${body}`)
}
