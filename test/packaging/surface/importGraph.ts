import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import ts from 'typescript'

/** Every `.ts`/`.tsx` file under `dir` (declaration files excluded). */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

/**
 * Every module specifier a file names: static imports and re-exports (`import type` included, since a
 * type-only cycle still ties the files' declarations together), `import x = require()`, dynamic
 * `import()` and `import('…').T` types.
 */
export function specifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const found: string[] = []
  const visit = (node: ts.Node): void => {
    if (
      (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push(node.moduleSpecifier.text)
    } else if (
      ts.isImportEqualsDeclaration(node) &&
      ts.isExternalModuleReference(node.moduleReference) &&
      ts.isStringLiteral(node.moduleReference.expression)
    ) {
      found.push(node.moduleReference.expression.text)
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      found.push(node.arguments[0].text)
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      found.push(node.argument.literal.text)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

/** The file a relative specifier names (`./x.js` is `./x.ts`, `./dir` is `./dir/index.ts`). */
function resolveRelative(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier)
  const stem = base.replace(/\.(c|m)?jsx?$/, '')
  const candidates = [base, `${stem}.ts`, `${stem}.tsx`, join(base, 'index.ts'), join(base, 'index.tsx')]
  return candidates.find((path) => existsSync(path) && statSync(path).isFile())
}

/** Each file's relative imports, as files; `unresolved` lists specifiers that name no file. */
export function importGraph(files: readonly string[]) {
  const edges = new Map<string, string[]>()
  const unresolved: string[] = []
  for (const file of files) {
    const targets: string[] = []
    for (const specifier of specifiers(file)) {
      if (!specifier.startsWith('.')) continue
      const target = resolveRelative(file, specifier)
      if (target === undefined) unresolved.push(`${file}: ${specifier}`)
      else if (!targets.includes(target)) targets.push(target)
    }
    edges.set(file, targets)
  }
  return { edges, unresolved }
}

/**
 * The cycles of a graph, one line per strongly connected component of more than one file (or a file
 * that imports itself): `a.ts → b.ts → a.ts; also in this cycle of 3: c.ts`. Tarjan's algorithm
 * finds the components; a breadth-first search inside each gives a shortest cycle through its first
 * file, the path to read first, and the other files of the component follow.
 */
export function findCycles(edges: ReadonlyMap<string, readonly string[]>, root: string): string[] {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const components: string[][] = []
  const connect = (file: string): void => {
    index.set(file, index.size)
    low.set(file, index.get(file)!)
    stack.push(file)
    onStack.add(file)
    for (const next of edges.get(file) ?? []) {
      if (!index.has(next)) {
        connect(next)
        low.set(file, Math.min(low.get(file)!, low.get(next)!))
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!))
      }
    }
    if (low.get(file) === index.get(file)) {
      const component: string[] = []
      let member: string
      do {
        member = stack.pop()!
        onStack.delete(member)
        component.push(member)
      } while (member !== file)
      components.push(component)
    }
  }
  for (const file of [...edges.keys()].sort()) if (!index.has(file)) connect(file)

  const name = (file: string) => relative(root, file)
  return components
    .filter((c) => c.length > 1 || (edges.get(c[0]!) ?? []).includes(c[0]!))
    .map((component) => {
      const members = new Set(component)
      const start = [...component].sort()[0]!
      const cycle = shortestCycle(edges, members, start)
      const others = component
        .filter((file) => !cycle.includes(file))
        .map(name)
        .sort()
      const rest =
        others.length > 0 ? `; also in this cycle of ${component.length}: ${others.join(', ')}` : ''
      return `${cycle.map(name).join(' → ')}${rest}`
    })
}

function shortestCycle(
  edges: ReadonlyMap<string, readonly string[]>,
  members: ReadonlySet<string>,
  start: string,
): string[] {
  const previous = new Map<string, string>()
  const queue = [start]
  for (let i = 0; i < queue.length; i++) {
    const file = queue[i]!
    for (const next of edges.get(file) ?? []) {
      if (!members.has(next)) continue
      if (next === start) {
        const path = [start]
        for (let at = file; at !== start; at = previous.get(at)!) path.splice(1, 0, at)
        return [...path, start]
      }
      if (!previous.has(next)) {
        previous.set(next, file)
        queue.push(next)
      }
    }
  }
  return [start, start]
}
