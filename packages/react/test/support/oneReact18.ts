import Module, { createRequire } from 'node:module'

// Setup of the react-18 project only. Vite's aliases send the code it transforms to React 18, but a
// CommonJS dependency that Node loads itself (use-sync-external-store) would find the root's React 19
// by Node's resolution: a second React, whose hooks fail ("Invalid hook call"). So every
// `require('react…')` in this process resolves to the fixture's React 18 as well.
const fromFixture = createRequire(
  createRequire(import.meta.url).resolve('@convene/react-18-fixture/package.json'),
)
const isReact = (request: string) => /^react(-dom)?(\/|$)/.test(request)

type ResolveFilename = (this: unknown, request: string, ...rest: unknown[]) => string
const loader = Module as unknown as { _resolveFilename: ResolveFilename }
const resolveFilename = loader._resolveFilename
let redirecting = false
loader._resolveFilename = function (request, ...rest) {
  // fromFixture.resolve comes back through here; that inner call takes Node's own way.
  if (redirecting || !isReact(request)) return resolveFilename.call(this, request, ...rest)
  redirecting = true
  try {
    return fromFixture.resolve(request)
  } finally {
    redirecting = false
  }
}
