import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const src = fileURLToPath(new URL('../src', import.meta.url))
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? files(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  )

describe('@convene/core boundaries', () => {
  it('imports nothing but its own files, xstate and jose: no React, DOM, PeerJS or Node modules', () => {
    const outside = new Set<string>()
    for (const file of files(src)) {
      for (const [, specifier] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        if (!specifier?.startsWith('.') && specifier !== 'xstate' && specifier !== 'jose')
          outside.add(`${file}: ${specifier}`)
      }
    }
    expect([...outside]).toEqual([])
  })

  it('uses no DOM or Node global (window, document, navigator, process, Buffer)', () => {
    const used: string[] = []
    for (const file of files(src)) {
      const code = readFileSync(file, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')
      for (const name of ['window', 'document', 'navigator', 'process', 'Buffer', 'require']) {
        if (new RegExp(`\\b${name}\\b[.(]`).test(code)) used.push(`${file}: ${name}`)
      }
    }
    expect(used).toEqual([])
  })
})
