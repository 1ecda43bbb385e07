import { fmt, missing, spread, table } from '../lib/table.js'
import type { ScaleResult } from '../scale.js'
import type { BigMeetingResult, Load } from './bigMeetingResult.js'

type Size = BigMeetingResult | { notMeasured: string; n: number; auth: boolean }
type Measured<T> = Exclude<T, { notMeasured: string }>

const counts = (record: Record<string, number>) =>
  Object.entries(record)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(', ') || '0'

const loadCell = (load: Load) =>
  `${load.nodeCpuPercent.join(', ')}; ${load.redisCpuPercent}; ${load.clientsCpuPercent}; ${load.machineCpuPercent} (over ${load.seconds} s)`

/** The scale bench's two tables: one meeting of N over the relay per column, and the meeting of 8. */
export function scaleTables(result: ScaleResult | { notMeasured: string }): string {
  if (missing(result)) return `not measured: ${result.notMeasured}`
  const sizes: Size[] = result.sizes
  const cell = (pick: (r: BigMeetingResult) => string) =>
    sizes.map((r) => ('notMeasured' in r ? `not measured: ${r.notMeasured}` : pick(r)))
  const steady = (pick: (s: Measured<BigMeetingResult['steady']>) => string) =>
    cell((r) => (missing(r.steady) ? `not measured: ${r.steady.notMeasured}` : pick(r.steady)))
  const failover = (pick: (f: Measured<BigMeetingResult['failover']>) => string) =>
    cell((r) => (missing(r.failover) ? `not measured: ${r.failover.notMeasured}` : pick(r.failover)))
  const joinLoad = (pick: (l: Load) => string) =>
    cell((r) => (missing(r.join.load) ? `not measured: ${r.join.load.notMeasured}` : pick(r.join.load)))
  const big = table(
    [
      'one meeting over the relay, 2 nodes + Redis',
      ...sizes.map((r) => `N=${fmt(r.n)}${r.auth ? ', auth' : ', no auth'}`),
      'target',
    ],
    [
      [
        'setup: client processes; joins in flight each; pace; relay ping + timeout, grace[, failover grace] (ms)',
        ...cell(
          (r) =>
            `${r.setup.groups}; ${r.setup.concurrency}; ${r.setup.joinsPerSecond ? `${r.setup.joinsPerSecond}/s` : 'unpaced'}; ${r.setup.relay}`,
        ),
        '',
      ],
      [
        'all joined: first join() → last roster whole (s)',
        ...cell((r) =>
          r.join.allSeconds === null ? `no: ${r.join.whole} of ${r.n} whole` : String(r.join.allSeconds),
        ),
        '',
      ],
      ['  why not (what limited it)', ...cell((r) => r.limit ?? '–'), ''],
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
        ...cell((r) => `${counts(r.join.departures)}; ${fmt(r.join.relayEvents['relay.dropped'] ?? 0)}`),
        '0; 0',
      ],
      [
        "  packets through the adapter's Redis stream during the join",
        ...cell((r) => fmt(r.join.streamAdded)),
        '',
      ],
      [
        '  during the join: CPU node A, node B; Redis; clients; whole machine (% of a core; 2 cores: 200)',
        ...joinLoad(loadCell),
        '',
      ],
      [
        "  during the join: clients' event loop delay p99 / max (ms)",
        ...joinLoad((l) => `${fmt(l.clientLoopDelay.p99)} / ${fmt(l.clientLoopDelay.max)}`),
        '< ping timeout',
      ],
      ['join() → resolved, ms p50 / p95', ...cell((r) => spread(r.join.ms)), ''],
      ['steady: messages into the relay /s', ...steady((s) => fmt(s.inPerSecond)), 'linear in N'],
      ['steady: messages delivered /s', ...steady((s) => fmt(s.outPerSecond)), 'linear in N'],
      [
        'steady: CPU node A, node B; Redis; clients; whole machine (% of a core)',
        ...steady(loadCell),
        'linear in N',
      ],
      ['leave() → last other told, ms p50 / p95', ...cell((r) => spread(r.leave.ms)), '≤ 250 p95'],
      [
        '  the others told, by reason (and told twice)',
        ...cell((r) => counts(r.leave.told)),
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
        '  meanwhile: CPU node B; Redis; clients; whole machine (% of a core)',
        ...failover(
          (f) =>
            `${f.load.nodeCpuPercent[1]}; ${f.load.redisCpuPercent}; ${f.load.clientsCpuPercent}; ${f.load.machineCpuPercent} (over ${f.load.seconds} s)`,
        ),
        '',
      ],
      [
        "  meanwhile: node B's relay events; clients' event loop delay p99 / max (ms)",
        ...failover(
          (f) =>
            `${counts(f.relayEvents)}; ${fmt(f.load.clientLoopDelay.p99)} / ${fmt(f.load.clientLoopDelay.max)}`,
        ),
        '',
      ],
      [
        '  told participant-left about someone who came back: all; back within the grace',
        ...failover((f) => `${fmt(f.falseDepartures)}; ${fmt(f.falseWithinGrace)}`),
        '–; 0',
      ],
      [
        '  a real leave during the outage: observers told (of), told twice',
        ...failover(
          (f) =>
            `${f.outageLeave.told} of ${f.outageLeave.of}, ${f.outageLeave.repeated} twice; ${counts(f.outageLeave.reasons)}`,
        ),
        'all, once',
      ],
      ['  rosters exactly right 5 s after', ...failover((f) => `${f.rostersRight} of ${f.present}`), 'all'],
      [
        '  why not (what limited it)',
        ...failover((f) => (f.limit === undefined ? 'not read in this run' : (f.limit ?? '–'))),
        '',
      ],
      ['errors (onError, by code)', ...cell((r) => counts(r.errors)), '0'],
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
