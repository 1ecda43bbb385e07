import { existsSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import ts from 'typescript'

/** One published entry point, such as `@convene/transport-peerjs/node`: its package and its source. */
export interface Entry {
  /** As imported, without the scope: `transport-peerjs/node`. */
  readonly name: string
  /** The directory under `packages/`: `transport-peerjs`. */
  readonly pkg: string
  /** The absolute path of its source: `…/packages/transport-peerjs/src/node.ts`. */
  readonly source: string
}

export interface Surface {
  /** The names each entry exports, by entry name. */
  readonly exports: ReadonlyMap<string, readonly string[]>
  /**
   * Types named by a declaration the entries publish that no entry of their own package exports, with
   * how they are reached: `meetingMachine → MeetingContext → PersistentMap`.
   */
  readonly internal: ReadonlyMap<string, { pkg: string; via: string }>
  /** Compiler errors of the declarations (nothing should be checked against a broken surface). */
  readonly errors: readonly string[]
}

const options = (root: string, paths: Record<string, string[]>): ts.CompilerOptions => ({
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: ['node'],
  jsx: ts.JsxEmit.ReactJSX,
  strict: true,
  skipLibCheck: true,
  esModuleInterop: true,
  resolveJsonModule: true,
  baseUrl: root,
  paths,
})

/**
 * The public surface as the `.d.ts` files of a build would have it, from the sources: the compiler
 * emits each source file's declarations (in memory, next to its source), and a second program reads
 * only those. Every type a published declaration names is then looked up, as a bundler of `.d.ts`
 * files would copy it, and recorded when no entry of the package it lives in exports it.
 */
export function publicSurface(root: string, entries: readonly Entry[]): Surface {
  const sourcePaths = Object.fromEntries(entries.map((entry) => [`@convene/${entry.name}`, [entry.source]]))

  // 1. Declarations of every source file the entries reach, kept in memory.
  const emitted = new Map<string, string>()
  const program = ts.createProgram(
    entries.map((entry) => entry.source),
    {
      ...options(root, sourcePaths),
      declaration: true,
      emitDeclarationOnly: true,
      noEmit: false,
    },
  )
  // Type errors are `npm run typecheck`'s to report; what matters here is what the emitter says.
  const emit = program.emit(undefined, (path, text) => emitted.set(path, text))
  const errors = emit.diagnostics.map(describe(root))

  // 2. A program over those declarations alone: our sources are hidden, so `./x.js` finds `./x.d.ts`.
  const ours = (path: string) => path.startsWith(join(root, 'packages')) && !path.includes('node_modules')
  const hidden = (path: string) => ours(path) && /\.tsx?$/.test(path) && !path.endsWith('.d.ts')
  const declPaths = Object.fromEntries(
    Object.entries(sourcePaths).map(([name, [path]]) => [name, [path!.replace(/\.tsx?$/, '.d.ts')]]),
  )
  const host = ts.createCompilerHost(options(root, declPaths))
  host.fileExists = (path) => emitted.has(path) || (!hidden(path) && existsSync(path))
  host.readFile = (path) => emitted.get(path) ?? (hidden(path) ? undefined : readFileSync(path, 'utf8'))
  const entryDecls = entries.map((entry) => entry.source.replace(/\.tsx?$/, '.d.ts'))
  const declProgram = ts.createProgram(entryDecls, options(root, declPaths), host)
  const checker = declProgram.getTypeChecker()
  // Our declarations must stand on their own (a name they fail to resolve would hide what it names).
  for (const path of emitted.keys()) {
    errors.push(...declProgram.getSemanticDiagnostics(declProgram.getSourceFile(path)).map(describe(root)))
  }

  const packageOf = (path: string) => /packages\/([^/]+)\/src\//.exec(path)?.[1]
  const resolved = (symbol: ts.Symbol) =>
    symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol

  // What each package exports, through any of its entries.
  const exports = new Map<string, string[]>()
  const exported = new Map<string, Set<ts.Symbol>>()
  entries.forEach((entry, i) => {
    const module = checker.getSymbolAtLocation(declProgram.getSourceFile(entryDecls[i]!)!)!
    const symbols = checker.getExportsOfModule(module)
    exports.set(entry.name, symbols.map((s) => s.name).sort())
    const set = exported.get(entry.pkg) ?? new Set()
    for (const symbol of symbols) set.add(resolved(symbol))
    exported.set(entry.pkg, set)
  })

  // 3. Walk each published declaration; a type of ours that its package does not export is internal.
  const internal = new Map<string, { pkg: string; via: string }>()
  const walked = new Set<ts.Symbol>()
  const walk = (symbol: ts.Symbol, via: string): void => {
    if (walked.has(symbol)) return
    walked.add(symbol)
    for (const declaration of symbol.declarations ?? []) {
      const visit = (node: ts.Node): void => {
        const name = referencedName(node)
        if (name) {
          const target = checker.getSymbolAtLocation(name)
          if (target) check(resolved(target), via)
        }
        ts.forEachChild(node, visit)
      }
      visit(declaration)
    }
  }
  const check = (symbol: ts.Symbol, via: string): void => {
    if (symbol.flags & (ts.SymbolFlags.TypeParameter | ts.SymbolFlags.Property | ts.SymbolFlags.EnumMember))
      return
    const file = symbol.declarations?.[0]?.getSourceFile().fileName
    const pkg = file && ours(file) ? packageOf(file) : undefined
    if (pkg === undefined) return // the standard library, Node, React, XState …: not ours to publish
    if (exported.get(pkg)?.has(symbol)) return // public, and walked as an export of its own
    const path = `${via} → ${symbol.name}`
    const key = `${pkg}: ${symbol.name}`
    if (!internal.has(key)) internal.set(key, { pkg, via: path })
    walk(symbol, path)
  }
  for (const [pkg, symbols] of exported) {
    for (const symbol of symbols) walk(symbol, `${pkg}: ${symbol.name}`)
  }
  return { exports, internal, errors }
}

const describe = (root: string) => (d: ts.Diagnostic) => {
  const at = d.file ? `${relative(root, d.file.fileName)}: ` : ''
  return `${at}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`
}

/** The name a declaration node uses for another type or value: `T` in `x: T`, `extends T`, `typeof t`. */
function referencedName(node: ts.Node): ts.Node | undefined {
  const rightmost = (name: ts.EntityName | ts.Expression): ts.Node =>
    ts.isQualifiedName(name) ? name.right : ts.isPropertyAccessExpression(name) ? name.name : name
  if (ts.isTypeReferenceNode(node)) return rightmost(node.typeName)
  if (ts.isExpressionWithTypeArguments(node)) return rightmost(node.expression)
  if (ts.isTypeQueryNode(node)) return rightmost(node.exprName)
  if (ts.isImportTypeNode(node)) return node.qualifier && rightmost(node.qualifier)
  return undefined
}
