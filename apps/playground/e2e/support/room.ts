import type { Browser } from 'playwright-core'
import type { LogEntry } from '../../src/logEntry.js'
import { ParticipantPage } from './participantPage.js'

type Stopped = typeof globalThis & {
  __stoppedAt: number[]
  /** Time spent inside each stop() of a live track: Chromium's own synchronous work. */
  __stopMs: number[]
  __leaveClickedAt: number | null
  __joinClickedAt: number | null
  /** Each change of the number of tiles on the page: [count, when]. */
  __tiles: Array<[number, number]>
}

// Runs in each page before the app: when Join and Leave were clicked, each local track stopped and the
// tiles changed, by the page's own clock (the click as the page gets it, without the test driver's own
// delay).
function recordMoments() {
  const page = globalThis as unknown as Stopped
  page.__stoppedAt = []
  page.__stopMs = []
  page.__leaveClickedAt = null
  page.__joinClickedAt = null
  page.__tiles = []
  document.addEventListener(
    'click',
    (event) => {
      const target = event.target as Element | null
      if (target?.closest?.('[data-testid=leave]')) page.__leaveClickedAt = Date.now()
      if (target?.closest?.('[data-testid=lobby] button[type=submit]')) page.__joinClickedAt = Date.now()
    },
    { capture: true },
  )
  const stop = MediaStreamTrack.prototype.stop
  MediaStreamTrack.prototype.stop = function (this: MediaStreamTrack) {
    if (this.readyState !== 'live') return stop.call(this)
    page.__stoppedAt.push(Date.now())
    const started = performance.now()
    try {
      return stop.call(this)
    } finally {
      page.__stopMs.push(performance.now() - started)
    }
  }
  new MutationObserver(() => {
    const count = document.querySelectorAll('[data-testid=tile]').length
    if (count !== page.__tiles.at(-1)?.[0]) page.__tiles.push([count, Date.now()])
  }).observe(document, { childList: true, subtree: true })
}

/** One join, in ms from the Join click as the joining page saw it (one machine, one clock). */
export interface JoinMeasurement {
  /** How many were in the room before. */
  present: number
  /** The joiner's own onMeetingJoined. */
  meetingJoined: number
  /** The joiner's page shows a tile for everyone (itself and each one present). */
  allTiles: number
  /** The last page present shows a tile for the joiner. */
  othersTile: number
}

async function measureJoin(joiner: ParticipantPage, present: ParticipantPage[]): Promise<JoinMeasurement> {
  const n = present.length + 1
  const tiles = (page: ParticipantPage) =>
    page.page.evaluate(() => (globalThis as unknown as Stopped).__tiles)
  const firstWith = (changes: Array<[number, number]>, count: number) =>
    changes.find(([c]) => c >= count)?.[1] ?? Number.NaN
  const clicked = await joiner.page.evaluate(() => (globalThis as unknown as Stopped).__joinClickedAt)
  const joined = await joiner.waitForEvent({ callback: 'onMeetingJoined' }, 60_000)
  if (clicked === null) throw new Error(`${joiner.name}: the Join click was not seen by the page`)
  let othersTile = 0
  for (const page of present) othersTile = Math.max(othersTile, firstWith(await tiles(page), n))
  return {
    present: present.length,
    meetingJoined: joined.at - clicked,
    allTiles: firstWith(await tiles(joiner), n) - clicked,
    othersTile: othersTile - clicked,
  }
}

/**
 * A meeting of `n` tabs (each its own browser context), the first one host, joining one after another
 * (each once the one before has every tile). Each join after the first is measured into `joins`.
 */
export async function openRoom(
  browser: Browser,
  url: string,
  meetingId: string,
  n: number,
  camera: boolean,
  joins?: JoinMeasurement[],
  /** Runs in each page before the app, after the recorders. Defaults to none. */
  init?: () => void,
): Promise<ParticipantPage[]> {
  const pages: ParticipantPage[] = []
  const allTiles = (page: ParticipantPage, count: number) =>
    page.page.waitForFunction((c) => document.querySelectorAll('[data-testid=tile]').length === c, count, {
      timeout: 60_000,
      polling: 100,
    })
  for (let i = 0; i < n; i++) {
    const who = { meetingId, name: `P${i}`, role: i === 0 ? 'host' : 'participant', camera } as const
    const page = await ParticipantPage.open(browser, url, who, init ? [recordMoments, init] : [recordMoments])
    await page.waitForEvent({ callback: 'onMeetingJoined' }, 60_000)
    for (const each of [...pages, page]) await allTiles(each, i + 1)
    if (joins && i > 0) joins.push(await measureJoin(page, pages))
    pages.push(page)
  }
  return pages
}

export const stoppedAt = (page: ParticipantPage): Promise<number[]> =>
  page.page.evaluate(() => (globalThis as unknown as Stopped).__stoppedAt)

/** What one Leave click did, in ms from the click, by each page's own clock (one machine, one clock). */
export interface LeaveMeasurement {
  /** The leaver's own onMeetingLeft. */
  leaverMeetingLeft: number
  /** The same from the app's `leave()` call (the playground's `convene:leave` mark), not the click. */
  leaverFromCall: number
  /** Each other page's onParticipantLeft for the leaver. */
  othersParticipantLeft: number[]
  /** The last of the leaver's local tracks stopped (null when it had none). */
  leaverTracksStopped: number | null
  /** Time the leaver spent inside stop() of its live tracks, all together (Chromium's own work). */
  leaverInsideStop: number
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
  const insideStop = await leaver.page.evaluate(() =>
    (globalThis as unknown as Stopped).__stopMs.reduce((sum, ms) => sum + ms, 0),
  )
  const clicked = await leaver.page.evaluate(() => (globalThis as unknown as Stopped).__leaveClickedAt)
  if (clicked === null) throw new Error(`${leaver.name}: the Leave click was not seen by the page`)
  const called = await leaver.page.evaluate(() => {
    const mark = performance.getEntriesByName('convene:leave').at(-1)
    return mark ? performance.timeOrigin + mark.startTime : null
  })
  if (called === null) throw new Error(`${leaver.name}: the page did not mark its leave() call`)
  return {
    leaverMeetingLeft: leaverEntry!.at - clicked,
    leaverFromCall: Math.round(leaverEntry!.at - called),
    othersParticipantLeft: otherEntries.map((entry) => entry.at - clicked),
    leaverTracksStopped: stops.length === 0 ? null : Math.max(...stops) - clicked,
    leaverInsideStop: Math.round(insideStop * 10) / 10,
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
