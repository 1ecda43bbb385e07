import type { TestProject } from 'vitest/node'
import { obtainRedisServer } from './redisServer.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The `redis-server` each cluster test file starts its own Redis with (found, or installed once). */
    redisServer: string
  }
}

// Once per run, before any file: a fresh machine's `npm test` gets its Redis here.
export default function setup(project: TestProject) {
  project.provide('redisServer', obtainRedisServer())
}
