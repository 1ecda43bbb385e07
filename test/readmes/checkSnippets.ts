import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'
import type { Snippet } from './extractSnippets.js'

/** A snippet written out as a module of its own, and how to map its lines back to the Markdown. */
export interface WrittenSnippet {
  snippet: Snippet
  path: string
  /** Lines of `snippet-assumes` put before the code. */
  offset: number
}

/**
 * Writes each snippet as its own module under `dir` (inside the repository, so `node_modules` resolves),
 * with a tsconfig that maps `@convene/*` to the package sources, as the tests do: no build needed.
 */
export function writeSnippets(root: string, dir: string, snippets: Snippet[]): WrittenSnippet[] {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  // ES modules, as an app's: top-level await works.
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      extends: relative(dir, join(root, 'tsconfig.paths.json')),
      compilerOptions: {
        strict: true,
        noEmit: true,
        jsx: 'react-jsx',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        types: ['node'],
      },
      include: ['*.ts', '*.tsx'],
    }),
  )
  return snippets.map((snippet) => {
    const name = `${snippet.file.replace(/[^A-Za-z0-9]+/g, '_')}_L${snippet.line}.${snippet.lang}`
    const path = join(dir, name)
    const head = snippet.assumes ? `${snippet.assumes}\n` : ''
    // `export {}`: every block is a module of its own, whether or not it imports anything.
    writeFileSync(path, `${head}${snippet.code}\nexport {}\n`)
    return { snippet, path, offset: head ? head.split('\n').length - 1 : 0 }
  })
}

/** `tsc --strict` over every written snippet at once: the messages per snippet path, `file:line: TSnnnn text`. */
export function typecheck(dir: string, written: WrittenSnippet[]): Map<string, string[]> {
  const config = ts.getParsedCommandLineOfConfigFile(
    join(dir, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'))
      },
    },
  )
  if (!config) throw new Error(`cannot read ${dir}/tsconfig.json`)
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options })
  const byPath = new Map(written.map((w) => [w.path, w]))
  const messages = new Map<string, string[]>(written.map((w) => [w.path, []]))
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const text = `TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`
    const file = diagnostic.file
    const at =
      file && diagnostic.start !== undefined ? file.getLineAndCharacterOfPosition(diagnostic.start) : null
    const owner = file ? byPath.get(file.fileName) : undefined
    if (owner && at) {
      const line = owner.snippet.line + 1 + at.line - owner.offset
      messages.get(owner.path)!.push(`${owner.snippet.file}:${line}: ${text}`)
    } else {
      const where = file && at ? `${file.fileName}:${at.line + 1}` : 'config'
      messages.set('(elsewhere)', [...(messages.get('(elsewhere)') ?? []), `${where}: ${text}`])
    }
  }
  return messages
}
