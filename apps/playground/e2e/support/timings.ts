import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

/** apps/playground/test-results (gitignored): screenshots and measured times. */
export const resultsDir = fileURLToPath(new URL('../../test-results/', import.meta.url))

const timings: Record<string, number> = {}

/** Records a measured duration, prints it, and keeps test-results/timings.json up to date. */
export function recordTiming(name: string, ms: number): void {
  timings[name] = ms
  console.log(`[timing] ${name}: ${ms} ms`)
  mkdirSync(resultsDir, { recursive: true })
  writeFileSync(`${resultsDir}timings.json`, `${JSON.stringify(timings, null, 2)}\n`)
}
