/**
 * The playground in Debian's Chromium, as a user meets: 4 tabs (microphone only, then with cameras) on
 * this machine. Per trial, the tabs join one after another (each join after the first timed from its
 * Join click: its own meeting-joined, a tile for everyone on its page, its tile on the others' pages),
 * the room is held for a while (false departures counted: nobody crashes), then the last tab clicks
 * Leave: its own meeting-left and the others' participant-left, from the click as the page saw it.
 * Then a second tab crashes (CDP `Page.crash`) and the 2 left are timed until told. With cameras, each
 * trial is followed by 4 bare pages holding the same media without Convene (bench/chromium/bareMedia.ts),
 * whose Leave only stops the tracks: what Chromium itself takes to stop them on the same machine.
 * Every figure comes from the pages' own event logs and DOM (one machine, one clock).
 */
import type { Browser } from 'playwright-core'
import type { ParticipantPage } from '../apps/playground/e2e/support/participantPage.js'
import {
  closeRoom,
  departuresIn,
  errorsIn,
  type JoinMeasurement,
  measureLeave,
  openRoom,
} from '../apps/playground/e2e/support/room.js'
import { startPlayground } from '../apps/playground/scripts/startPlayground.js'
import { PLAYGROUND_CAMERA } from '../apps/playground/src/camera.js'
import { bareLeave, openBareTabs } from './chromium/bareMedia.js'
import { launchBenchChromium } from './chromium/launch.js'
import { main, type NotMeasured, progress } from './lib/output.js'
import { type Distribution, distribution } from './lib/stats.js'

const TRIALS = Number(process.env.BENCH_CHROMIUM_TRIALS ?? 5)
const HOLD_MS = Number(process.env.BENCH_CHROMIUM_HOLD_MS ?? 20_000)
const TABS = 4

/** microphone only; cameras as the playground asks (PLAYGROUND_CAMERA); cameras at Chromium's default size. */
const MODES = {
  mic: { label: 'microphone only', camera: false, video: null },
  cameras: { label: 'cameras 320×240 at 15 fps (the playground’s)', camera: true, video: PLAYGROUND_CAMERA },
  'cameras-default': { label: 'cameras at Chromium’s default (640×480, 30 fps)', camera: true, video: true },
} as const
type Mode = keyof typeof MODES
const modes = (process.env.BENCH_CHROMIUM_MODES ?? 'mic,cameras').split(',') as Mode[]

// Runs in the page before the app: the camera at the browser's default size, whatever the app asks.
function browserDefaultCamera() {
  const devices = navigator.mediaDevices
  const getUserMedia = devices.getUserMedia.bind(devices)
  devices.getUserMedia = (constraints) =>
    getUserMedia(constraints?.video ? { ...constraints, video: true } : constraints)
}

/** Crashes `page` (CDP `Page.crash`) and times, from the crash, each of `observers` told it is gone. */
async function measureCrash(page: ParticipantPage, observers: ParticipantPage[]): Promise<number[]> {
  const cdp = await page.page.context().newCDPSession(page.page)
  const crashed = Date.now()
  // Page.crash never answers: the renderer is gone.
  void cdp.send('Page.crash').catch(() => {})
  const told = await Promise.all(
    observers.map((o) =>
      o.waitForEvent({ callback: 'onParticipantLeft', participant: page.name, reason: 'disconnected' }),
    ),
  )
  return told.map((entry) => entry.at - crashed)
}

export interface ChromiumLifecycleResult {
  trials: number
  holdMs: number
  rows: Array<{ name: string; ms: Distribution | NotMeasured }>
  counts: Array<{ name: string; count: number; of: string }>
}

export async function run(): Promise<ChromiumLifecycleResult | NotMeasured> {
  let browser: Browser
  let playground: Awaited<ReturnType<typeof startPlayground>>
  try {
    playground = await startPlayground({ port: 0, logLevel: 'error' })
    browser = await launchBenchChromium()
  } catch (error) {
    return { notMeasured: `the playground or Chromium did not start: ${String(error)}` }
  }
  const rows: ChromiumLifecycleResult['rows'] = []
  const counts: ChromiumLifecycleResult['counts'] = []
  try {
    for (const mode of modes) {
      const { label, camera, video } = MODES[mode]
      const leaver: number[] = []
      const fromCall: number[] = []
      const crashes: number[] = []
      const bareStopped: number[] = []
      const bareInside: number[] = []
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
            `bench-${mode}-${t}`,
            TABS,
            camera,
            joins,
            mode === 'cameras-default' ? browserDefaultCamera : undefined,
          )
          await new Promise((resolve) => setTimeout(resolve, HOLD_MS))
          falseDepartures.push(...(await departuresIn(pages)))
          const last = pages.at(-1)!
          const measured = await measureLeave(last, pages.slice(0, -1))
          leaver.push(measured.leaverMeetingLeft)
          fromCall.push(measured.leaverFromCall)
          others.push(...measured.othersParticipantLeft)
          if (measured.leaverTracksStopped !== null) tracks.push(measured.leaverTracksStopped)
          insideStop.push(measured.leaverInsideStop)
          const [host, crashing, observer] = pages as [ParticipantPage, ParticipantPage, ParticipantPage]
          errors.push(...(await errorsIn([crashing])))
          const crash = await measureCrash(crashing, [host, observer])
          crashes.push(...crash)
          errors.push(...(await errorsIn([host, observer, last])))
          await closeRoom(pages)
          let bare = ''
          if (video !== null) {
            const tabs = await openBareTabs(browser, playground.url, TABS, video)
            // Held as long as the room: the encoders ramp up their bitrate (and CPU) over the first seconds.
            await new Promise((resolve) => setTimeout(resolve, HOLD_MS))
            const stopped = await bareLeave(tabs.at(-1)!)
            bareStopped.push(stopped.stopped)
            bareInside.push(stopped.insideStop)
            bare = `; bare page ${stopped.stopped} ms`
            for (const tab of tabs) await tab.context().close()
          }
          done++
          progress(
            `${label} trial ${t + 1}: leaver ${measured.leaverMeetingLeft} ms (from leave() ${measured.leaverFromCall}, ${measured.leaverInsideStop} ms inside stop())${bare}, others ${measured.othersParticipantLeft.join('/')} ms; crash told ${crash.join('/')} ms; joins (all tiles) ${joins
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
      row("leave() call → leaver's own meeting-left", fromCall)
      row("Leave click → leaver's last local track stopped", tracks)
      row("leaver's time inside track.stop() (Chromium's own synchronous work)", insideStop)
      if (video !== null) {
        row('bare page, no Convene, same media: Leave click → last track stopped', bareStopped)
        row('bare page: time inside track.stop()', bareInside)
      }
      row("Leave click → each other's participant-left", others)
      row('Page.crash → each of the 2 others told participant-left (disconnected)', crashes)
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
