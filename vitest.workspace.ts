import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { TestProjectConfiguration } from 'vitest/config'

// Tests run against the sources, so `npm test` needs no build first.
const source = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url))
const alias = {
  // Before the package itself: a string alias also maps subpaths, and the first match wins.
  '@convene/core/conformance': fileURLToPath(
    new URL('./packages/core/src/conformance/index.ts', import.meta.url),
  ),
  '@convene/core/wire': fileURLToPath(new URL('./packages/core/src/wire/index.ts', import.meta.url)),
  '@convene/core': source('core'),
  '@convene/internal-rx': source('internal-rx'),
  '@convene/react': source('react'),
  '@convene/server': source('server'),
  // Before the package itself: a string alias also maps subpaths, and the first match wins.
  '@convene/transport-peerjs/node': fileURLToPath(
    new URL('./packages/transport-peerjs/src/node.ts', import.meta.url),
  ),
  '@convene/transport-peerjs': source('transport-peerjs'),
  '@convene/transport-socketio': source('transport-socketio'),
}

// Node processes a test starts with tsx (the CLI, participants in processes of their own) inherit this:
// they too load @convene/* from the sources, so a fresh clone's `npm test` needs no build either.
const sourcesInChildren = {
  TSX_TSCONFIG_PATH: fileURLToPath(new URL('./tsconfig.paths.json', import.meta.url)),
}

// React 18 lives in its own dev package (packages/react/test/react-18.tgz), where react-dom 18 finds
// React 18 by Node's resolution. Aliases only reach code Vite transforms, so @testing-library/react
// is transformed too (its ESM build): its imports of react and react-dom then land on the same copy.
const fromReact = createRequire(fileURLToPath(new URL('./packages/react/package.json', import.meta.url)))
const fromReact18 = createRequire(fromReact.resolve('@convene/react-18-fixture/package.json'))
const packageDir = (from: NodeJS.Require, name: string) => dirname(from.resolve(`${name}/package.json`))
const testingLibrary = packageDir(fromReact, '@testing-library/react')
const react18Alias = {
  ...alias,
  // A string alias also maps subpaths: react/jsx-dev-runtime, react-dom/client, react-dom/server, ...
  react: packageDir(fromReact18, 'react'),
  'react-dom': packageDir(fromReact18, 'react-dom'),
  '@testing-library/react': join(
    testingLibrary,
    JSON.parse(readFileSync(join(testingLibrary, 'package.json'), 'utf8')).module,
  ),
}

// The same React suite once per supported React major; reactVersion.test.tsx checks which one ran.
const reactProject = (
  name: string,
  major: string,
  projectAlias: Record<string, string>,
  setupFiles: string[] = [],
) => ({
  resolve: { alias: projectAlias },
  test: {
    name,
    root: './packages/react',
    environment: 'jsdom',
    include: ['test/**/*.test.{ts,tsx}'],
    env: { CONVENE_REACT_MAJOR: major },
    server: { deps: { inline: ['@testing-library/react'] } },
    setupFiles,
  },
})

export default [
  {
    resolve: { alias },
    test: {
      name: 'core',
      root: './packages/core',
      environment: 'node',
      env: sourcesInChildren,
      include: ['test/**/*.test.ts'],
      exclude: ['test/fuzz/soak.test.ts'],
      // Simulated minutes take real CPU: 0.5 s alone, 7 s on a 2-core machine at load 15-26, past the
      // default 5 s. The limit only catches a hang; what a test asserts does not depend on it.
      testTimeout: 30_000,
    },
  },
  {
    resolve: { alias },
    // Heap figures need a process of their own: a worker thread shared with other files carries their garbage.
    test: {
      name: 'core-soak',
      root: './packages/core',
      environment: 'node',
      env: sourcesInChildren,
      pool: 'forks',
      include: ['test/fuzz/soak.test.ts'],
    },
  },
  reactProject('react', '19', alias),
  reactProject('react-18', '18', react18Alias, ['./test/support/oneReact18.ts']),
  {
    test: {
      name: 'readmes',
      root: '.',
      environment: 'node',
      env: sourcesInChildren,
      pool: 'forks',
      include: ['test/readmes/**/*.test.ts'],
      // One tsc program over every snippet and the package sources: 25 s on an idle machine, over 120 s at load 60.
      hookTimeout: 300_000,
      testTimeout: 60_000,
    },
  },
  {
    test: {
      name: 'packaging',
      root: '.',
      environment: 'node',
      env: sourcesInChildren,
      include: ['test/packaging/**/*.test.ts'],
    },
  },
  {
    resolve: { alias },
    test: {
      name: 'server',
      root: './packages/server',
      environment: 'node',
      pool: 'forks',
      include: ['test/**/*.test.ts'],
      // The servers tests start would log every peer to stdout; log tests pass their own logger.
      env: { ...sourcesInChildren, CONVENE_LOG_LEVEL: 'silent' },
    },
  },
  {
    resolve: { alias },
    test: {
      name: 'transport-peerjs',
      root: './packages/transport-peerjs',
      environment: 'node',
      env: { ...sourcesInChildren, CONVENE_LOG_LEVEL: 'silent' },
      // node-datachannel segfaults under worker threads.
      pool: 'forks',
      include: ['test/**/*.test.ts'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  },
  {
    resolve: { alias },
    test: {
      name: 'transport-socketio',
      root: './packages/transport-socketio',
      environment: 'node',
      env: { ...sourcesInChildren, CONVENE_LOG_LEVEL: 'silent' },
      pool: 'forks',
      include: ['test/**/*.test.ts'],
      // Starts Redis (installing Debian's on a fresh machine) for the cluster tests.
      globalSetup: ['test/support/globalSetup.ts'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  },
  {
    resolve: { alias },
    test: {
      name: 'playground',
      root: './apps/playground',
      environment: 'node',
      env: sourcesInChildren,
      pool: 'forks',
      include: ['e2e/**/*.test.ts'],
      // Finds a Chromium, or installs Debian's on a fresh machine, before any file runs.
      globalSetup: ['e2e/globalSetup.ts'],
      testTimeout: 120_000,
      hookTimeout: 120_000,
    },
  },
] satisfies TestProjectConfiguration[]
