import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { markdownFiles } from './extractSnippets.js'
import { BLOCK_KINDS, fencedBlocks, type OtherBlock, shellCommands } from './otherBlocks.js'

// The blocks of the docs that are not TypeScript: a command a reader copies must name scripts, benches
// and flags that exist (a renamed flag left in DEPLOYMENT.md would fail on a production host first),
// and a block in a language nothing checks is refused.
const root = fileURLToPath(new URL('../../', import.meta.url))
const blocks = markdownFiles(root).flatMap((file) => fencedBlocks(root, file))
const where = (block: OtherBlock) => `${block.file}:${block.line}`
const of = (lang: string) => blocks.filter((block) => block.lang === lang)

const scripts = Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts)
const benches = [...readFileSync(join(root, 'bench/run.ts'), 'utf8').matchAll(/name: '([^']+)'/g)].map(
  (match) => match[1]!,
)
const packages = readdirSync(join(root, 'packages')).map(
  (dir) => JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8')).name as string,
)
/** The flags and environment variables `convene-server --help` documents. */
function serverHelp(): string {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(root, 'packages/server/src/cli.ts'), '--help'],
    { cwd: root, encoding: 'utf8', timeout: 30_000 },
  )
  expect(run.status, run.stderr).toBe(0)
  return run.stdout
}

/** What is wrong with one shell command, or nothing. */
function problemsOf(command: string, help: () => string): string[] {
  const problems: string[] = []
  const npmRun = /^npm (?:run )?([\w:-]+)(?: -- (.*))?$/.exec(command)
  if (npmRun && !command.startsWith('npm install') && !command.startsWith('npm ci')) {
    const [, script, rest] = npmRun
    if (!scripts.includes(script!)) problems.push(`no npm script "${script}"`)
    if (script === 'bench' && rest) {
      for (const name of rest.split(/\s+/)) if (!benches.includes(name)) problems.push(`no bench "${name}"`)
    }
  }
  for (const pkg of /^npm install (.+)$/.exec(command)?.[1]?.split(/\s+/) ?? []) {
    if (pkg.startsWith('@convene/') && !packages.includes(pkg)) problems.push(`no package ${pkg}`)
  }
  if (/(?:^|\s)(?:npx convene-server|npm run server --)(?:\s|$)/.test(command)) {
    const text = help()
    for (const [flag] of command.matchAll(/(?<=\s)--[a-z][a-z-]*/g)) {
      if (!text.includes(flag)) problems.push(`convene-server has no ${flag}`)
    }
    for (const [, name] of command.matchAll(/(?:^|\s)([A-Z][A-Z0-9_]*)=/g)) {
      if (!text.includes(name!)) problems.push(`convene-server reads no ${name}`)
    }
  }
  return problems
}

it('every fenced block is of a kind something checks or cannot run', () => {
  const unchecked = blocks.filter((block) => !(block.lang in BLOCK_KINDS)).map(where)
  expect(unchecked, `allowed: ${Object.keys(BLOCK_KINDS).join(', ')}`).toEqual([])
  expect(of('sh').length).toBeGreaterThanOrEqual(5)
})

describe('shell blocks', () => {
  let help: string | undefined
  const cachedHelp = () => {
    help ??= serverHelp()
    return help
  }

  it('the checker catches a missing script, bench, package, flag and variable', () => {
    const found = [
      'npm run lnit',
      'npm run bench -- memroy',
      'npm install @convene/transport-webrtc',
      'CONVENE_KEY=x npx convene-server --port 9000 --signing-key-file k.pem',
    ].flatMap((command) => problemsOf(command, cachedHelp))
    expect(found).toEqual([
      'no npm script "lnit"',
      'no bench "memroy"',
      'no package @convene/transport-webrtc',
      'convene-server has no --signing-key-file',
      'convene-server reads no CONVENE_KEY',
    ])
  })

  for (const block of of('sh')) {
    it(`${where(block)} names scripts, benches, packages and flags that exist`, () => {
      const problems = shellCommands(block.code).flatMap((command) =>
        problemsOf(command, cachedHelp).map((problem) => `${command}: ${problem}`),
      )
      expect(problems).toEqual([])
    })
  }
})

describe('JSON blocks', () => {
  for (const block of of('json')) {
    it(`${where(block)} is JSON, a document or one per line`, () => {
      const parses = (text: string) => {
        try {
          JSON.parse(text)
          return true
        } catch {
          return false
        }
      }
      const lines = block.code.split('\n').filter((line) => line.trim() !== '')
      expect(parses(block.code) || lines.every(parses)).toBe(true)
    })
  }
})
