import type { TestProject } from 'vitest/node'
import { obtainChromium } from './support/findChromium.js'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The Chromium every browser test launches (found, or installed once for the whole run). */
    chromiumPath: string
  }
}

// Once per run, before any playground file: a fresh machine's `npm test` gets its browser here.
export default function setup(project: TestProject) {
  project.provide('chromiumPath', obtainChromium())
}
