/**
 * Bundle size: what an app ships, minified by esbuild and gzipped, for Convene and, in the same run,
 * for the SDKs people compare it with. React itself is left out everywhere: the app has it already.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build, type Metafile } from 'esbuild'
import { convenePackages } from './lib/compile.js'
import { main, progress } from './lib/output.js'
import { round } from './lib/stats.js'

interface Entry {
  name: string
  /** An app's entry: imports what it uses, and uses it so nothing is shaken off. */
  code: string
  /** Resolved from bench/references (SDKs that need Node 22, kept out of the workspaces' install). */
  reference?: true
  /** The most this entry may weigh, gzipped (the RxJS rows: what a transport's RxJS adds to an app). */
  budgetGzipBytes?: number
}

/** What RxJS may add to an app, per transport: 5 kB gzip. */
export const RXJS_BUDGET_GZIP_BYTES = 5 * 1024

const referencesDir = fileURLToPath(new URL('./references/', import.meta.url))

/** Installs the reference SDKs on first use, from their own lock file; npm's engine warnings are theirs. */
function installReferences(): void {
  if (existsSync(`${referencesDir}node_modules/.package-lock.json`)) return
  progress('installing the reference SDKs into bench/references (once)…')
  execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd: referencesDir,
    stdio: 'inherit',
  })
}

const ENTRIES: Entry[] = [
  {
    name: 'convene: core + react + transport-peerjs',
    code: `import { createMeeting } from '@convene/core'
import { MeetingProvider, useMeeting, useParticipant, useMeetingSelector } from '@convene/react'
import { createPeerJSTransport } from '@convene/transport-peerjs'
export { createMeeting, MeetingProvider, useMeeting, useParticipant, useMeetingSelector, createPeerJSTransport }`,
  },
  {
    name: 'convene: core + transport-peerjs',
    code: `export { createMeeting } from '@convene/core'
export { createPeerJSTransport } from '@convene/transport-peerjs'`,
  },
  { name: 'convene: core (createMeeting)', code: `export { createMeeting } from '@convene/core'` },
  { name: 'convene: @convene/react alone', code: `export * from '@convene/react'` },
  { name: 'reference: peerjs (Peer)', code: `import Peer from 'peerjs'\nexport { Peer }` },
  {
    name: 'reference: livekit-client (Room)',
    code: `export { Room } from 'livekit-client'`,
    reference: true,
  },
  {
    name: 'reference: @daily-co/daily-js',
    code: `import Daily from '@daily-co/daily-js'\nexport { Daily }`,
    reference: true,
  },
]

/**
 * What RxJS adds to an app: the operators and constructors a transport imports from 'rxjs' (its
 * type-only imports left out; the shared helpers of `@convene/internal-rx` counted in), bundled alone
 * as the app's bundler would resolve them.
 */
function rxjsAsImportedBy(pkg: string): Entry {
  // The transport's own sources, and the stream helpers both transports share (bundled into each).
  const dirs = [pkg, 'internal-rx'].map((name) =>
    fileURLToPath(new URL(`../packages/${name}/src/`, import.meta.url)),
  )
  const names = new Set<string>()
  const files = dirs.flatMap((dir) =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((file) => `${dir}${file}`),
  )
  for (const file of files) {
    if (!file.endsWith('.ts')) continue
    const source = readFileSync(file, 'utf8')
    for (const [, list] of source.matchAll(/import\s*\{([^}]*)\}\s*from\s*'rxjs'/g)) {
      for (const item of (list as string).split(',')) {
        const name = item.trim().split(/\s+as\s+/)[0] as string
        if (name !== '' && !name.startsWith('type ')) names.add(name)
      }
    }
  }
  return {
    name: `rxjs, as ${pkg} imports it`,
    code: `export { ${[...names].sort().join(', ')} } from 'rxjs'`,
    budgetGzipBytes: RXJS_BUDGET_GZIP_BYTES,
  }
}
ENTRIES.push(rxjsAsImportedBy('transport-peerjs'), rxjsAsImportedBy('transport-socketio'))

export interface BundleRow {
  name: string
  minBytes: number
  gzipBytes: number
  /** Largest contributors (minified bytes in the bundle, by package). */
  topPackages: Array<{ pkg: string; bytes: number }>
  /** The entry's budget, gzipped, and whether it is met (the RxJS rows). */
  budget?: { gzipBytes: number; met: boolean }
}

function byPackage(metafile: Metafile): Array<{ pkg: string; bytes: number }> {
  const sizes = new Map<string, number>()
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path) ?? /packages\/([^/]+)/.exec(path)
      const pkg = match ? (path.includes('node_modules') ? match[1]! : `@convene/${match[1]}`) : path
      sizes.set(pkg, (sizes.get(pkg) ?? 0) + bytesInOutput)
    }
  }
  return [...sizes]
    .map(([pkg, bytes]) => ({ pkg, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 5)
}

async function measure(entry: Entry): Promise<BundleRow> {
  const result = await build({
    stdin: {
      contents: entry.code,
      resolveDir: entry.reference ? referencesDir : process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    write: false,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    metafile: true,
    alias: convenePackages,
    external: ['react', 'react-dom', 'react/jsx-runtime'],
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'error',
  })
  const code = result.outputFiles[0]!.contents
  const gzipBytes = gzipSync(code, { level: 9 }).byteLength
  return {
    name: entry.name,
    minBytes: code.byteLength,
    gzipBytes,
    topPackages: byPackage(result.metafile),
    ...(entry.budgetGzipBytes === undefined
      ? {}
      : { budget: { gzipBytes: entry.budgetGzipBytes, met: gzipBytes < entry.budgetGzipBytes } }),
  }
}

export interface BundleResult {
  rows: BundleRow[]
  /** Convene's full set over each reference, in gzipped bytes. */
  ratios: Record<string, number>
}

export async function run(): Promise<BundleResult> {
  installReferences()
  const rows: BundleRow[] = []
  for (const entry of ENTRIES) {
    const row = await measure(entry)
    const budget = row.budget
      ? `: ${row.gzipBytes} B, under ${row.budget.gzipBytes} B ${row.budget.met ? 'met' : 'NOT met'}`
      : ''
    progress(`${entry.name.padEnd(42)} ${(row.gzipBytes / 1024).toFixed(1)} kB min+gz${budget}`)
    rows.push(row)
  }
  const convene = rows[0]!.gzipBytes
  const ratios = Object.fromEntries(
    rows.filter((r) => r.name.startsWith('reference')).map((r) => [r.name, round(convene / r.gzipBytes, 2)]),
  )
  return { rows, ratios }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(run)
