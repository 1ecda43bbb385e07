import { fileURLToPath } from 'node:url'
import { expect, it } from 'vitest'
import { markdownFiles } from './extractSnippets.js'
import { anchorsOf, brokenLinks } from './links.js'

// Docs move text between pages (README → ARCHITECTURE.md, bench/README.md): a link to a page or a heading
// that is gone must fail here, not on a reader.
const root = fileURLToPath(new URL('../../', import.meta.url))

it('every relative link of every checked Markdown file reaches a file, and its #anchor a heading there', () => {
  const files = markdownFiles(root)
  expect(files).toContain('bench/README.md')
  expect(files.flatMap((file) => brokenLinks(root, file))).toEqual([])
})

it('reads anchors as GitHub makes them', () => {
  const anchors = anchorsOf(
    '# Top\n## Five camera tabs walked through (`chromium-walkthrough`)\n## Top\n```sh\n# not a heading\n```\n<a id="kept"></a>',
  )
  expect([...anchors].sort()).toEqual([
    'five-camera-tabs-walked-through-chromium-walkthrough',
    'kept',
    'top',
    'top-1',
  ])
})

it('finds a missing file, a missing heading, and ignores links in code and to other sites', () => {
  const markdown = [
    '[ok](README.md#performance) [gone](NOWHERE.md) [heading](ARCHITECTURE.md#no-such-heading)',
    '`[code](NOWHERE.md)` [web](https://example.com/x#y) [self](#no-such-heading)',
    '```md',
    '[fenced](NOWHERE.md)',
    '```',
  ].join('\n')
  expect(brokenLinks(root, 'README.md', markdown).map((b) => `${b.line}: ${b.target}`)).toEqual([
    '1: NOWHERE.md',
    '1: ARCHITECTURE.md#no-such-heading',
    '2: #no-such-heading',
  ])
})
