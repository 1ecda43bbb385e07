import { fileURLToPath } from 'node:url'
import type { TestProjectConfiguration } from 'vitest/config'

// Tests run against the sources, so `npm test` needs no build first.
const source = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url))
const alias = {
  '@convene/core': source('core'),
  '@convene/react': source('react'),
  '@convene/server': source('server'),
  '@convene/transport-peerjs': source('transport-peerjs'),
}

export default [
  {
    resolve: { alias },
    test: {
      name: 'core',
      root: './packages/core',
      environment: 'node',
      include: ['test/**/*.test.ts'],
      exclude: ['test/fuzz/soak.test.ts'],
    },
  },
  {
    resolve: { alias },
    // Heap figures need a process of their own: a worker thread shared with other files carries their garbage.
    test: {
      name: 'core-soak',
      root: './packages/core',
      environment: 'node',
      pool: 'forks',
      include: ['test/fuzz/soak.test.ts'],
    },
  },
  {
    resolve: { alias },
    test: {
      name: 'react',
      root: './packages/react',
      environment: 'jsdom',
      include: ['test/**/*.test.{ts,tsx}'],
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
    },
  },
  {
    resolve: { alias },
    test: {
      name: 'transport-peerjs',
      root: './packages/transport-peerjs',
      environment: 'node',
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
      name: 'playground',
      root: './apps/playground',
      environment: 'node',
      pool: 'forks',
      include: ['e2e/**/*.test.ts'],
      testTimeout: 120_000,
      hookTimeout: 120_000,
    },
  },
] satisfies TestProjectConfiguration[]
