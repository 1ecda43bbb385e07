import { existsSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, normalize, relative } from 'node:path'

/** A relative link of a Markdown file that leads nowhere: a missing file, or a heading the file does not have. */
export interface BrokenLink {
  /** Path from the repository root. */
  file: string
  line: number
  target: string
  why: string
}

/** Text outside fenced blocks, with inline code blanked, so that `[a](b)` written as code is not read as a link. */
function proseLines(markdown: string): string[] {
  let fenced = false
  return markdown.split('\n').map((line) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced
      return ''
    }
    return fenced ? '' : line.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length))
  })
}

/** The anchors GitHub gives a file's headings (lower case, punctuation dropped, spaces to hyphens, repeats numbered), and any `id=`. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>()
  const seen = new Map<string, number>()
  let fenced = false
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced
    if (fenced) continue
    for (const id of line.matchAll(/\b(?:id|name)="([^"]+)"/g)) anchors.add(id[1]!)
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (!heading) continue
    const base = heading[1]!
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-')
    const count = seen.get(base) ?? 0
    seen.set(base, count + 1)
    anchors.add(count === 0 ? base : `${base}-${count}`)
  }
  return anchors
}

/** Every relative link and reference definition in `file` (a path from `root`) that does not resolve. */
export function brokenLinks(
  root: string,
  file: string,
  markdown = readFileSync(join(root, file), 'utf8'),
): BrokenLink[] {
  const broken: BrokenLink[] = []
  const anchorCache = new Map<string, Set<string>>()
  const anchorsIn = (path: string) => {
    const cached = anchorCache.get(path)
    if (cached) return cached
    const anchors = anchorsOf(readFileSync(join(root, path), 'utf8'))
    anchorCache.set(path, anchors)
    return anchors
  }
  proseLines(markdown).forEach((line, index) => {
    const targets = [
      ...[...line.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!),
      ...[...line.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/g)].map((m) => m[1]!),
    ]
    for (const target of targets) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue // http:, https:, mailto:
      const [path = '', anchor] = target.split('#', 2)
      const resolved = path === '' ? file : normalize(join(dirname(file), decodeURIComponent(path)))
      const at = { file, line: index + 1, target }
      if (relative(root, join(root, resolved)).startsWith('..') || !existsSync(join(root, resolved))) {
        broken.push({ ...at, why: `no file ${resolved}` })
      } else if (
        anchor !== undefined &&
        resolved.endsWith('.md') &&
        statSync(join(root, resolved)).isFile()
      ) {
        if (!anchorsIn(resolved).has(decodeURIComponent(anchor)))
          broken.push({ ...at, why: `no heading #${anchor} in ${resolved}` })
      }
    }
  })
  return broken
}
