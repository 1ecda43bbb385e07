import { readFileSync } from 'node:fs'
import { join } from 'node:path'

/** A fenced block of a Markdown file that is not TypeScript: shell commands, JSON, configuration, diagrams. */
export interface OtherBlock {
  /** Path from the repository root. */
  file: string
  /** 1-based line of the opening fence. */
  line: number
  /** The fence's language, `''` for a bare fence (a diagram or a wire format drawn as text). */
  lang: string
  code: string
}

/**
 * What each kind of block must be. TypeScript is checked by `snippets.test.ts`; `sh` and `json` by
 * `otherBlocks.test.ts`; the rest cannot run here. A block in any other language (`js`, `bash`) would
 * be checked by nothing, so it is refused: write it as `ts` or `sh`.
 */
export const BLOCK_KINDS: Record<string, string> = {
  ts: 'typechecked and run',
  tsx: 'typechecked and run',
  typescript: 'typechecked and run',
  sh: 'each npm script, bench and convene-server flag it names exists',
  json: 'each line is JSON',
  mermaid: 'the statechart, compared with the machine by the core tests',
  nginx: 'a proxy configuration, not runnable here',
  '': 'a diagram or a wire format drawn as text',
}

/** Every fenced block of `file`, whatever its language (TypeScript included, with its language). */
export function fencedBlocks(root: string, file: string): OtherBlock[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n')
  const blocks: OtherBlock[] = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)/.exec(lines[i]!.trim())
    if (!open) continue
    const close = lines.findIndex((l, j) => j > i && l.trim() === '```')
    if (close < 0) throw new Error(`${file}:${i + 1}: a code block that never closes`)
    blocks.push({ file, line: i + 1, lang: open[1]!, code: lines.slice(i + 1, close).join('\n') })
    i = close
  }
  return blocks
}

/** The commands of a shell block: continued lines joined, comments and blank lines dropped. */
export function shellCommands(code: string): string[] {
  return code
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line.length > 0)
}
