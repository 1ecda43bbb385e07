/**
 * The playground walked through as a review did, five tabs with cameras in Debian's Chromium
 * (bench/chromium/walkthrough.ts): join, a camera off and on, a leave, a removal, two rejoins, a hold,
 * End. Nobody crashes, so every `participant-left` (`disconnected`) is a false departure; each one is
 * explained from the pages' own records (bench/chromium/falseDepartures.ts). Goal: none, and every
 * roster right after each step and at the end.
 */

import { writeFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import type { Browser } from 'playwright-core'
import { startPlayground } from '../apps/playground/scripts/startPlayground.js'
import { describe, explainFalseDepartures, type FalseDeparture } from './chromium/falseDepartures.js'
import { launchBenchChromium } from './chromium/launch.js'
import { type Step, walkThrough } from './chromium/walkthrough.js'
import { main, type NotMeasured, progress } from './lib/output.js'

const RUNS = Number(process.env.BENCH_WALKTHROUGH_RUNS ?? 3)
const HOLD_MS = Number(process.env.BENCH_WALKTHROUGH_HOLD_MS ?? 15_000)

export interface WalkThroughResult {
  runs: Array<{
    load: [number, number]
    steps: Step[]
    falseDepartures: FalseDeparture[]
    rostersRightAtEnd: boolean
    endedTold: number
    errors: string[]
  }>
  counts: Array<{ name: string; count: number; of: string }>
}

const load = () => Math.round(loadavg()[0]! * 10) / 10

export async function run(): Promise<WalkThroughResult | NotMeasured> {
  let playground: Awaited<ReturnType<typeof startPlayground>>
  let browser: Browser
  try {
    playground = await startPlayground({ port: 0, logLevel: 'error' })
    browser = await launchBenchChromium()
  } catch (error) {
    return { notMeasured: `the playground or Chromium did not start: ${String(error)}` }
  }
  // The dev server compiles the app's modules on the first load: done here, not in the first run.
  const warm = await browser.newPage()
  await warm.goto(playground.url, { timeout: 120_000 })
  await warm.close()
  const runs: WalkThroughResult['runs'] = []
  try {
    for (let r = 0; r < RUNS; r++) {
      const before = load()
      try {
        const walk = await walkThrough(browser, playground.url, `walkthrough-${Date.now()}`, HOLD_MS)
        if (process.env.BENCH_WALKTHROUGH_TRACE)
          writeFileSync(`${process.env.BENCH_WALKTHROUGH_TRACE}-${r + 1}.json`, JSON.stringify(walk))
        const falseDepartures = explainFalseDepartures(walk.t0, walk.events, walk.traces)
        const entry = {
          load: [before, load()] as [number, number],
          steps: walk.steps,
          falseDepartures,
          rostersRightAtEnd: walk.rostersRightAtEnd,
          endedTold: walk.endedTold,
          errors: walk.errors,
        }
        runs.push(entry)
        progress(
          `run ${r + 1} (load ${entry.load.join(' → ')}): ${falseDepartures.filter((d) => d.live).length} false departures (+${falseDepartures.filter((d) => !d.live).length} of a leaver); rosters ${walk.steps
            .map((s) => `${s.step} ${s.rosterRightMs === null ? 'NEVER RIGHT' : `${s.rosterRightMs} ms`}`)
            .join(
              ', ',
            )}; right at the end: ${walk.rostersRightAtEnd}; told ended ${walk.endedTold}/5; onError ${walk.errors.length}`,
        )
        for (const d of falseDepartures) progress(`  ${describe(d)}`)
        for (const s of walk.steps) if (s.pages) progress(`  ${s.step}, never right: ${s.pages.join('; ')}`)
      } catch (error) {
        progress(`run ${r + 1} stopped: ${String(error)}`)
      }
    }
  } finally {
    await browser.close()
    await playground.close()
  }
  const of = `${runs.length} of ${RUNS} runs`
  return {
    runs,
    counts: [
      {
        name: 'false departures (disconnected, of a participant still in the meeting), 5 camera tabs',
        count: runs.reduce((n, r) => n + r.falseDepartures.filter((d) => d.live).length, 0),
        of,
      },
      {
        name: 'leavers told as disconnected, not left (their goodbye did not arrive)',
        count: runs.reduce((n, r) => n + r.falseDepartures.filter((d) => !d.live).length, 0),
        of,
      },
      {
        name: 'walk-throughs with a roster wrong after a step or at the end',
        count: runs.filter((r) => !r.rostersRightAtEnd || r.steps.some((s) => s.rosterRightMs === null))
          .length,
        of,
      },
      {
        name: 'pages not told meeting-left (ended) after End',
        count: runs.reduce((n, r) => n + 5 - r.endedTold, 0),
        of,
      },
      { name: 'onError in any tab, walk-through', count: runs.reduce((n, r) => n + r.errors.length, 0), of },
    ],
  }
}

await main(run)
