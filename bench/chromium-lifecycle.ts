/**
 * The playground in Debian's Chromium, as a user meets: 4 tabs (microphone only, then with cameras) on
 * this machine. Per trial, the tabs join one after another (each join after the first timed from its
 * Join click: its own meeting-joined, a tile for everyone on its page, its tile on the others' pages),
 * the room is held for a while (false departures counted: nobody crashes), then the last tab clicks
 * Leave: its own meeting-left and the others' participant-left, from the click as the page saw it.
 * Every figure comes from the pages' own event logs and DOM (one machine, one clock).
 */
import { type Browser, chromium } from 'playwright-core'
import {
  closeRoom,
  departuresIn,
  errorsIn,
  type JoinMeasurement,
  measureLeave,
  openRoom,
} from '../apps/playground/e2e/support/room.js'
import { startPlayground } from '../apps/playground/scripts/startPlayground.js'
import { main, type NotMeasured, progress } from './lib/output.js'
import { type Distribution, distribution } from './lib/stats.js'

const TRIALS = Number(process.env.BENCH_CHROMIUM_TRIALS ?? 5)
const HOLD_MS = Number(process.env.BENCH_CHROMIUM_HOLD_MS ?? 20_000)
const TABS = 4

export interface ChromiumLifecycleResult {
  trials: number
  holdMs: number
  rows: Array<{ name: string; ms: Distribution | NotMeasured }>
  counts: Array<{ name: string; count: number; of: string }>
}

function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
    ],
  })
}

export async function run(): Promise<ChromiumLifecycleResult | NotMeasured> {
  let browser: Browser
  let playground: Awaited<ReturnType<typeof startPlayground>>
  try {
    playground = await startPlayground({ port: 0, logLevel: 'error' })
    browser = await launch()
  } catch (error) {
    return { notMeasured: `the playground or Chromium did not start: ${String(error)}` }
  }
  const rows: ChromiumLifecycleResult['rows'] = []
  const counts: ChromiumLifecycleResult['counts'] = []
  try {
    for (const camera of [false, true]) {
      const label = camera ? 'cameras' : 'microphone only'
      const leaver: number[] = []
      const others: number[] = []
      const tracks: number[] = []
      const insideStop: number[] = []
      const joins: JoinMeasurement[] = []
      const falseDepartures: string[] = []
      const errors: string[] = []
      let done = 0
      try {
        for (let t = 0; t < TRIALS; t++) {
          const pages = await openRoom(
            browser,
            playground.url,
            `bench-${camera ? 'cam' : 'mic'}-${t}`,
            TABS,
            camera,
            joins,
          )
          await new Promise((resolve) => setTimeout(resolve, HOLD_MS))
          falseDepartures.push(...(await departuresIn(pages)))
          const last = pages.at(-1)!
          const measured = await measureLeave(last, pages.slice(0, -1))
          leaver.push(measured.leaverMeetingLeft)
          others.push(...measured.othersParticipantLeft)
          if (measured.leaverTracksStopped !== null) tracks.push(measured.leaverTracksStopped)
          insideStop.push(measured.leaverInsideStop)
          errors.push(...(await errorsIn(pages)))
          await closeRoom(pages)
          done++
          progress(
            `${label} trial ${t + 1}: leaver ${measured.leaverMeetingLeft} ms (${measured.leaverInsideStop} ms inside stop()), others ${measured.othersParticipantLeft.join('/')} ms; joins (all tiles) ${joins
              .slice(-(TABS - 1))
              .map((j) => j.allTiles)
              .join('/')} ms`,
          )
        }
      } catch (error) {
        progress(`${label}: stopped after ${done} trials: ${String(error)}`)
      }
      const row = (name: string, values: number[]) =>
        rows.push({
          name: `${name}, ${TABS} tabs, ${label}`,
          ms:
            values.length > 0
              ? distribution(values)
              : { notMeasured: `${done} of ${TRIALS} trials completed` },
        })
      row(
        'Join click → own meeting-joined (2nd, 3rd and 4th to join)',
        joins.map((j) => j.meetingJoined),
      )
      row(
        'Join click → a tile for everyone on the joiner’s page',
        joins.map((j) => j.allTiles),
      )
      row(
        'Join click → the joiner’s tile on every other page',
        joins.map((j) => j.othersTile),
      )
      row(
        'Join click → a tile for everyone, 4th to join only',
        joins.filter((j) => j.present === TABS - 1).map((j) => j.allTiles),
      )
      row("Leave click → leaver's own meeting-left", leaver)
      row("Leave click → leaver's last local track stopped", tracks)
      row("leaver's time inside track.stop() (Chromium's own synchronous work)", insideStop)
      row("Leave click → each other's participant-left", others)
      counts.push({
        name: `false departures (disconnected, nobody crashed), ${TABS} tabs, ${label}`,
        count: falseDepartures.length,
        of: `${done} trials × ${HOLD_MS / 1000} s`,
      })
      counts.push({
        name: `onError in any tab, ${TABS} tabs, ${label}`,
        count: errors.length,
        of: `${done} trials`,
      })
    }
  } finally {
    await browser.close()
    await playground.close()
  }
  return { trials: TRIALS, holdMs: HOLD_MS, rows, counts }
}

await main(run)
