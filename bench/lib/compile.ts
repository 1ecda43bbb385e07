import { mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('../..', import.meta.url))
const cache = fileURLToPath(new URL('../.cache/', import.meta.url))

export const convenePackages = {
  '@convene/core/wire': `${root}packages/core/src/wire/index.ts`,
  '@convene/core': `${root}packages/core/src/index.ts`,
  '@convene/internal-rx': `${root}packages/internal-rx/src/index.ts`,
  '@convene/react': `${root}packages/react/src/index.ts`,
  '@convene/server': `${root}packages/server/src/index.ts`,
  '@convene/transport-peerjs': `${root}packages/transport-peerjs/src/index.ts`,
  '@convene/transport-socketio': `${root}packages/transport-socketio/src/index.ts`,
}

/**
 * Compiles a bench module and the Convene sources it imports the way tsup ships them (esbuild, no
 * `keepNames`): run through tsx instead, every inner arrow pays a `__name()` call, which would be
 * charged to core. Dependencies stay external and load from node_modules, as in an app.
 */
export async function compileForNode(entry: string, name: string): Promise<string> {
  mkdirSync(cache, { recursive: true })
  const outfile = `${cache}${name}.mjs`
  await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    alias: convenePackages,
    packages: 'external',
    logLevel: 'error',
  })
  return outfile
}
