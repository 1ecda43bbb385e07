import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'

/**
 * One ts/tsx code block of a Markdown file.
 *
 * The convention, for anyone writing docs: a ```ts or ```tsx block must typecheck under `--strict` against
 * the packages and, unless it says otherwise, run in Node and exit cleanly. Flags after the language:
 * - `no-run`: typechecked only (it needs a browser, a server on a fixed port, or the app around it).
 * Names a block takes from the app around it (a login check, a URL) are declared in an HTML comment right
 * above it, `<!-- snippet-assumes: declare const tokenUrl: string -->`, which readers do not see.
 */
export interface Snippet {
  /** Path from the repository root, such as `packages/core/README.md`. */
  file: string
  /** 1-based line of the opening fence. */
  line: number
  lang: 'ts' | 'tsx'
  flags: ReadonlySet<string>
  /** Declarations from a `snippet-assumes` comment, placed before the code. */
  assumes: string
  code: string
}

const FENCE = /^```(ts|tsx|typescript)(?:\s+(.*))?$/
const ASSUMES = /<!--\s*snippet-assumes:((?:(?!-->)[\s\S])*)-->\s*$/
const FLAGS = new Set(['no-run'])

/** Every Markdown file whose blocks are checked: the READMEs of the root, packages and apps, and the root's docs. */
export function markdownFiles(root: string): string[] {
  const found = [
    'README.md',
    'ARCHITECTURE.md',
    'SECURITY.md',
    'DEPLOYMENT.md',
    'CONTRIBUTING.md',
    'bench/README.md',
  ]
  for (const dir of ['packages', 'apps']) {
    for (const name of readdirSync(join(root, dir)).sort()) found.push(join(dir, name, 'README.md'))
  }
  return found.filter((file) => existsSync(join(root, file)))
}

export function extractSnippets(root: string, file: string): Snippet[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n')
  const snippets: Snippet[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!.trim())
    if (!open) continue
    const close = lines.findIndex((l, j) => j > i && l.trim() === '```')
    if (close < 0) throw new Error(`${file}:${i + 1}: a code block that never closes`)
    const flags = new Set((open[2] ?? '').split(/\s+/).filter(Boolean))
    for (const flag of flags) {
      if (!FLAGS.has(flag)) throw new Error(`${file}:${i + 1}: unknown code block flag "${flag}"`)
    }
    const before = lines.slice(Math.max(0, i - 10), i).join('\n')
    snippets.push({
      file: relative(root, join(root, file)),
      line: i + 1,
      lang: open[1] === 'tsx' ? 'tsx' : 'ts',
      flags,
      assumes: ASSUMES.exec(before)?.[1]?.trim() ?? '',
      code: lines.slice(i + 1, close).join('\n'),
    })
    i = close
  }
  return snippets
}
