import type { Browser } from 'playwright-core'
import type { LogEntry } from '../../src/eventLog.js'
import { ParticipantPage } from './participantPage.js'

type Stopped = typeof globalThis & { __stoppedAt: number[]; __leaveClickedAt: number | null }

// Runs in each page before the app: when Leave was clicked and each local track stopped, by the page's
// own clock (the click as the page gets it, without the test driver's own delay).
function recordTrackStops() {
  const page = globalThis as unknown as Stopped
  page.__stoppedAt = []
  page.__leaveClickedAt = null
  document.addEventListener(
    'click',
    (event) => {
      if ((event.target as Element | null)?.closest?.('[data-testid=leave]'))
        page.__leaveClickedAt = Date.now()
    },
    { capture: true },
  )
  const stop = MediaStreamTrack.prototype.stop
  MediaStreamTrack.prototype.stop = function (this: MediaStreamTrack) {
    if (this.readyState === 'live') page.__stoppedAt.push(Date.now())
    return stop.call(this)
  }
}

/** A meeting of `n` tabs (each its own browser context), the first one host. */
export async function openRoom(
  browser: Browser,
  url: string,
  meetingId: string,
  n: number,
  camera: boolean,
): Promise<ParticipantPage[]> {
  const pages: ParticipantPage[] = []
  for (let i = 0; i < n; i++) {
    const who = { meetingId, name: `P${i}`, role: i === 0 ? 'host' : 'participant', camera } as const
    const page = await ParticipantPage.open(browser, url, who, recordTrackStops)
    await page.waitForEvent({ callback: 'onMeetingJoined' }, 60_000)
    pages.push(page)
  }
  for (const page of pages) {
    await page.page.waitForFunction(
      (count) => document.querySelectorAll('[data-testid=tile]').length === count,
      n,
      { timeout: 60_000, polling: 100 },
    )
  }
  return pages
}

export const stoppedAt = (page: ParticipantPage): Promise<number[]> =>
  page.page.evaluate(() => (globalThis as unknown as Stopped).__stoppedAt)

/** What one Leave click did, in ms from the click, by each page's own clock (one machine, one clock). */
export interface LeaveMeasurement {
  /** The leaver's own onMeetingLeft. */
  leaverMeetingLeft: number
  /** Each other page's onParticipantLeft for the leaver. */
  othersParticipantLeft: number[]
  /** The last of the leaver's local tracks stopped (null when it had none). */
  leaverTracksStopped: number | null
  leaverEntry: LogEntry
  otherEntries: LogEntry[]
}

/** Clicks Leave in `leaver` and waits until it and every other page have been told. */
export async function measureLeave(
  leaver: ParticipantPage,
  others: ParticipantPage[],
): Promise<LeaveMeasurement> {
  await leaver.page.locator('[data-testid=leave]').click()
  const [leaverEntry, ...otherEntries] = await Promise.all([
    leaver.waitForEvent({ callback: 'onMeetingLeft' }),
    ...others.map((page) =>
      page.waitForEvent({ callback: 'onParticipantLeft', participant: leaver.name, reason: 'left' }),
    ),
  ])
  const stops = await stoppedAt(leaver)
  const clicked = await leaver.page.evaluate(() => (globalThis as unknown as Stopped).__leaveClickedAt)
  if (clicked === null) throw new Error(`${leaver.name}: the Leave click was not seen by the page`)
  return {
    leaverMeetingLeft: leaverEntry!.at - clicked,
    othersParticipantLeft: otherEntries.map((entry) => entry.at - clicked),
    leaverTracksStopped: stops.length === 0 ? null : Math.max(...stops) - clicked,
    leaverEntry: leaverEntry!,
    otherEntries,
  }
}

/** Every onError any page logged, as `name: CODE message`. */
export async function errorsIn(pages: ParticipantPage[]): Promise<string[]> {
  const all: string[] = []
  for (const page of pages) {
    for (const entry of await page.eventsMatching('onError'))
      all.push(`${page.name}: ${entry.reason} ${entry.detail}`)
  }
  return all
}

/** Participants each page was told left as `disconnected`, though nobody crashed. */
export async function departuresIn(pages: ParticipantPage[], reason = 'disconnected'): Promise<string[]> {
  const all: string[] = []
  for (const page of pages) {
    for (const entry of await page.eventsMatching('onParticipantLeft')) {
      if (entry.reason === reason) all.push(`${page.name} lost ${entry.participant?.name}`)
    }
  }
  return all
}

export async function closeRoom(pages: ParticipantPage[]): Promise<void> {
  for (const page of pages) await page.page.context().close()
}
