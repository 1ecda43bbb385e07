import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { typecheck, type WrittenSnippet, writeSnippets } from './checkSnippets.js'
import { extractSnippets, markdownFiles, type Snippet } from './extractSnippets.js'

// Every ts/tsx block of every README (and of ARCHITECTURE.md, SECURITY.md, bench/README.md) compiles under
// --strict against the packages, and runs in Node unless marked `no-run`: docs cannot drift from the code.
const root = fileURLToPath(new URL('../../', import.meta.url))
const dir = fileURLToPath(new URL('../../test-results/readme-snippets/', import.meta.url))
const files = markdownFiles(root)
const snippets = files.flatMap((file) => extractSnippets(root, file))

let written: WrittenSnippet[] = []
let messages = new Map<string, string[]>()
const pathOf = (snippet: Snippet) => written.find((w) => w.snippet === snippet)!.path

beforeAll(() => {
  written = writeSnippets(root, dir, snippets)
  messages = typecheck(dir, written)
})

it('covers the READMEs that exist, and finds blocks in them', () => {
  expect(files).toContain('README.md')
  expect(files).toContain('packages/core/README.md')
  expect(snippets.length).toBeGreaterThanOrEqual(8)
  // The core example over the memory network is the one every reader tries first: it must run.
  expect(snippets.some((s) => s.file === 'README.md' && !s.flags.has('no-run'))).toBe(true)
})

it('the checker itself catches what once slipped into the README (implicit any, a nullable URL)', () => {
  const broken: Snippet = {
    file: 'broken.md',
    line: 1,
    lang: 'ts',
    flags: new Set(['no-run']),
    assumes: 'declare const server: { jwksUrl: string | null }',
    code: `import { createMeeting, createMemoryNetwork } from '@convene/core'
const token = async ({ meetingId, participantId }) => meetingId + participantId
createMeeting({ meetingId: 'm', participant: { id: 'a', role: 'host' }, token, auth: { jwks: server.jwksUrl }, transport: createMemoryNetwork().transport() })`,
  }
  const brokenDir = `${dir.replace(/\/$/, '')}-selftest/`
  const [w] = writeSnippets(root, brokenDir, [broken])
  const found = typecheck(brokenDir, [w!]).get(w!.path)!
  expect(found.some((m) => m.startsWith('broken.md:3: TS7031'))).toBe(true) // implicit any, on its README line
  expect(found.some((m) => m.startsWith('broken.md:4: TS2322'))).toBe(true) // string | null is not string
})

it('the packages themselves typecheck under the snippets’ settings', () => {
  expect(messages.get('(elsewhere)') ?? []).toEqual([])
})

for (const file of files) {
  const mine = snippets.filter((s) => s.file === file)
  if (mine.length === 0) continue
  describe(file, () => {
    for (const snippet of mine) {
      it(`line ${snippet.line} compiles under --strict`, () => {
        expect(messages.get(pathOf(snippet))).toEqual([])
      })
      if (snippet.flags.has('no-run')) continue
      it(`line ${snippet.line} runs in Node and exits cleanly`, () => {
        const run = spawnSync(process.execPath, ['--import', 'tsx', pathOf(snippet)], {
          cwd: root,
          env: { ...process.env, TSX_TSCONFIG_PATH: `${dir}tsconfig.json` },
          encoding: 'utf8',
          timeout: 30_000,
        })
        // Warnings on stderr are allowed (core's "no auth" one is documented); a crash or a hang is not.
        expect(run.status, `exit ${run.status ?? run.signal}; stderr:\n${run.stderr}`).toBe(0)
      })
    }
  })
}

describe("the root README's install section", () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8')
  const start = readme.indexOf('## Install in your app')
  const section = readme.slice(start, readme.indexOf('\n## ', start + 1))
  const packages = readdirSync(join(root, 'packages'))
    .map((dir) => JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')))
    .filter((pkg) => !pkg.private) as {
    name: string
    peerDependencies?: Record<string, string>
    exports?: Record<string, unknown>
  }[]

  it('exists and names every published package with its install command', () => {
    expect(start).toBeGreaterThan(0)
    expect(packages.length).toBeGreaterThanOrEqual(4)
    for (const pkg of packages) expect(section).toContain(`npm install ${pkg.name}`)
  })

  it('names every peer dependency and every entry point besides the main one', () => {
    for (const pkg of packages) {
      for (const peer of Object.keys(pkg.peerDependencies ?? {})) {
        // As a word of its own: in an install command or in code.
        expect(section).toMatch(new RegExp(`[\\s\`]${peer.replace(/[/.]/g, '\\$&')}[\\s\`]`))
      }
      for (const entry of Object.keys(pkg.exports ?? {})) {
        if (entry !== '.' && entry !== './package.json')
          expect(section).toContain(`${pkg.name}${entry.slice(1)}`)
      }
    }
  })
})
