import ts from 'typescript'
import type { Entry } from './publicSurface.js'

/**
 * Fields of exported interfaces without TSDoc, as `entry: Interface.field`, and options without their
 * default: an optional field of an interface whose name ends in `Options` or `Props` (what an app
 * passes) whose TSDoc does not say "default". Only fields declared in `root`'s sources count (XState's
 * and pino's are theirs to document), and only interfaces whose name `skip` does not match.
 */
export function tsdocGaps(
  root: string,
  entries: readonly Entry[],
  skip: (entry: string, name: string) => boolean,
): string[] {
  const program = ts.createProgram(
    entries.map((entry) => entry.source),
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      jsx: ts.JsxEmit.ReactJSX,
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      baseUrl: root,
      paths: Object.fromEntries(entries.map((entry) => [`@convene/${entry.name}`, [entry.source]])),
    },
  )
  const checker = program.getTypeChecker()
  const gaps: string[] = []
  for (const entry of entries) {
    const file = program.getSourceFile(entry.source)
    const module = file && checker.getSymbolAtLocation(file)
    if (!module) {
      gaps.push(`${entry.name}: entry not found`)
      continue
    }
    for (const exported of checker.getExportsOfModule(module)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported
      if (!(symbol.flags & ts.SymbolFlags.Interface) || skip(entry.name, exported.name)) continue
      const isOptions = /(Options|Props)$/.test(exported.name)
      for (const field of checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol))) {
        const declared = field.declarations?.[0]?.getSourceFile().fileName ?? ''
        if (!declared.startsWith(root) || declared.includes('/node_modules/')) continue
        const doc = ts.displayPartsToString(field.getDocumentationComment(checker)).trim()
        const tags = field.getJsDocTags().map((tag) => ts.displayPartsToString(tag.text))
        const where = `${entry.name}: ${exported.name}.${field.name}`
        if (doc === '') gaps.push(`${where}: no TSDoc`)
        else if (
          isOptions &&
          field.flags & ts.SymbolFlags.Optional &&
          !/default/i.test([doc, ...tags].join(' '))
        )
          gaps.push(`${where}: an option without its default`)
      }
    }
  }
  return gaps
}
