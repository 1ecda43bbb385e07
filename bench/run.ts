/**
 * `npm run bench`: runs every bench in its own Node process, prints one table, writes bench/results.json.
 * Run one bench alone with `npm run bench -- core-throughput` (names as below).
 */
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { printReport } from './report.js'

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url))

const BENCHES = [
  { name: 'core-throughput', flags: [] },
  { name: 'memory', flags: ['--expose-gc'] },
  { name: 'bundle-size', flags: [] },
  { name: 'react-renders', flags: [] },
  { name: 'webrtc-latency', flags: [] },
  { name: 'chromium-lifecycle', flags: [] },
  { name: 'chromium-walkthrough', flags: [] },
  { name: 'webrtc-lossy', flags: [] },
  { name: 'scale', flags: [] },
] as const

function runBench(name: string, flags: readonly string[]): Promise<unknown> {
  const out = `${tmpdir()}/convene-bench-${process.pid}-${name}.json`
  rmSync(out, { force: true })
  const started = performance.now()
  console.log(`▶ ${name}`)
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [...flags, '--import', 'tsx', here(`./${name}.${name === 'react-renders' ? 'tsx' : 'ts'}`)],
      {
        // Convene's own packages load from their sources, as in the tests.
        env: { ...process.env, BENCH_OUT: out, TSX_TSCONFIG_PATH: here('./tsconfig.json') },
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    )
    child.on('exit', (code, signal) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(0)
      console.log(`  ${name} done in ${seconds} s`)
      if (code === 0 && existsSync(out)) {
        resolve(JSON.parse(readFileSync(out, 'utf8')))
        rmSync(out, { force: true })
      } else resolve({ notMeasured: `bench process failed (${signal ?? `exit ${code}`})` })
    })
  })
}

const only = process.argv.slice(2)
const previous = existsSync(here('./results.json'))
  ? (JSON.parse(readFileSync(here('./results.json'), 'utf8')) as { benches?: Record<string, unknown> })
  : {}
const started = performance.now()
const loadBefore = loadavg()
const benches: Record<string, unknown> = only.length > 0 ? { ...previous.benches } : {}
for (const { name, flags } of BENCHES) {
  if (only.length > 0 && !only.includes(name)) continue
  benches[name] = await runBench(name, flags)
}
const results = {
  date: new Date().toISOString(),
  command: `npm run bench${only.length > 0 ? ` -- ${only.join(' ')}` : ''}`,
  machine: {
    node: process.version,
    cpus: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    // Other work on the machine slows every wall-clock figure; throughput is measured in CPU time.
    loadAverageBefore: loadBefore.map((l) => Math.round(l * 10) / 10),
    loadAverageAfter: loadavg().map((l) => Math.round(l * 10) / 10),
  },
  totalSeconds: Math.round((performance.now() - started) / 1000),
  benches,
}
writeFileSync(here('./results.json'), `${JSON.stringify(results, null, 2)}\n`)
printReport(results)
console.log(`\nWrote bench/results.json in ${results.totalSeconds} s.`)
