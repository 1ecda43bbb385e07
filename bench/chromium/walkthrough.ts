/**
 * A review's walk-through of the playground, five tabs with cameras: Alice hosts, Bob, Carol, Dave and
 * Phil (a phone, 390 × 844) join one after another without waiting for each other; Phil's camera goes
 * off and on; Bob leaves; Alice removes Carol; Carol then Bob rejoin; the room is held; Alice ends it.
 * After each step every roster (the tiles on each page) must come right; nobody crashes, so every
 * `participant-left` with reason `disconnected` is a false departure.
 */
import type { Browser } from 'playwright-core'
import { ParticipantPage } from '../../apps/playground/e2e/support/participantPage.js'
import type { LogEntry } from '../../apps/playground/src/logEntry.js'
import { LINK_STATS_PAGE, type PageTrace, readTrace, TRACE_PAGE } from './pageTrace.js'

const NAMES = ['Alice', 'Bob', 'Carol', 'Dave', 'Phil'] as const
type Name = (typeof NAMES)[number]
const DESK = { width: 1280, height: 900 }
const PHONE = { width: 390, height: 844 }
/** How long each roster may take to come right after a step (a page load and join take seconds at load 10+). */
const ROSTER_WAIT_MS = 60_000
/** The same for the five joins from the first click: at load 20 loading and joining five took over 60 s. */
const JOINS_WAIT_MS = 120_000

export interface Step {
  step: string
  /** From the step's start until every roster present was right (ms), or `null`: never within the wait. */
  rosterRightMs: number | null
  /** Whether the first reading of every page was right (a slow reading is a stalled page, not a wrong roster). */
  rightAtFirst: boolean
  /**
   * When never right: each page's state at the end of the wait (`Name: status/reason tiles`), such as
   * `Bob: ended/timeout` for a rejoin that failed without any event the app logs.
   */
  pages?: string[]
}

export interface WalkThrough {
  t0: number
  steps: Step[]
  /** Whether every roster was right at the end of the hold, just before End. */
  rostersRightAtEnd: boolean
  /** Pages told `meeting-left` (`ended`) after End. */
  endedTold: number
  events: Record<Name, LogEntry[]>
  traces: Record<Name, PageTrace>
  errors: string[]
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export async function walkThrough(
  browser: Browser,
  url: string,
  meetingId: string,
  holdMs: number,
): Promise<WalkThrough> {
  const t0 = Date.now()
  const pages = {} as Record<Name, ParticipantPage>
  const steps: Step[] = []
  const tiles = (page: ParticipantPage) =>
    page.page.evaluate(
      (names) =>
        [...document.querySelectorAll('[data-testid=tile] figcaption')]
          .map((t) => names.find((n) => (t.textContent ?? '').includes(n)) ?? '?')
          .sort()
          .join(','),
      [...NAMES],
    )
  /** What a page is at: its meeting's status (and why it ended, if it did) and its tiles. */
  const state = (name: Name) =>
    pages[name].page.evaluate(
      (names) => {
        const meeting = document.querySelector('[data-testid=meeting]')
        const over = document.querySelector('[data-testid=meeting-over]')
        const tiles = [...document.querySelectorAll('[data-testid=tile] figcaption')]
          .map((t) => names.find((n) => (t.textContent ?? '').includes(n)) ?? '?')
          .sort()
          .join(',')
        const status = meeting?.getAttribute('data-status') ?? 'no meeting'
        return `${status}${over ? `/${over.getAttribute('data-reason')}` : ''} [${tiles}]`
      },
      [...NAMES],
    )
  /** One click of the walk-through; if it fails, says which and where every page was. */
  const act = async (what: string, click: () => Promise<void>) => {
    try {
      await click()
    } catch (error) {
      const states = await Promise.all(
        NAMES.map((name) =>
          state(name).then(
            (s) => `${name}: ${s}`,
            () => `${name}: ?`,
          ),
        ),
      )
      throw new Error(`${what}: ${String(error).split('\n')[0]} (${states.join('; ')})`)
    }
  }
  /** Waits until the pages of `present` each show exactly `present`; records how long it took. */
  async function rosters(
    step: string,
    present: Name[],
    since: number,
    waitMs = ROSTER_WAIT_MS,
  ): Promise<boolean> {
    const want = [...present].sort().join(',')
    let rightAtFirst: boolean | undefined
    for (;;) {
      const got = await Promise.all(present.map((name) => tiles(pages[name])))
      const right = got.every((t) => t === want)
      rightAtFirst ??= right
      if (right) {
        steps.push({ step, rosterRightMs: Date.now() - since, rightAtFirst })
        return true
      }
      if (Date.now() - since > waitMs) {
        const states = await Promise.all(NAMES.map(async (name) => `${name}: ${await state(name)}`))
        steps.push({ step, rosterRightMs: null, rightAtFirst, pages: states })
        return false
      }
      await sleep(250)
    }
  }
  const open = async (name: Name) => {
    const context = await browser.newContext({ viewport: name === 'Phil' ? PHONE : DESK })
    // Loading a page of the dev server while camera tabs run can take longer than Playwright's 30 s.
    context.setDefaultNavigationTimeout(ROSTER_WAIT_MS)
    const scripts =
      process.env.BENCH_WALKTHROUGH_LINK_STATS === '1' ? [TRACE_PAGE, LINK_STATS_PAGE] : [TRACE_PAGE]
    const lobby = await ParticipantPage.openLobby(context, url, scripts)
    pages[name] = await lobby.join({ meetingId, name, role: name === 'Alice' ? 'host' : 'participant' })
    pages[name].page.setDefaultTimeout(ROSTER_WAIT_MS)
  }

  let since = Date.now()
  for (const name of NAMES) {
    await open(name)
    await sleep(name === 'Alice' ? 1500 : 300)
  }
  await rosters('all five joined', [...NAMES], since, JOINS_WAIT_MS)

  const phil = pages.Phil.page.locator('[data-testid=toggle-webcam]')
  await act('Phil camera off', () => phil.click())
  await sleep(1500)
  await act('Phil camera on', () => phil.click())
  await sleep(1500)
  since = Date.now()
  await act('Bob leaves', () => pages.Bob.page.locator('[data-testid=leave]').click())
  await sleep(1500)
  await act('Alice removes Carol', () =>
    pages.Alice.page
      .locator('[data-testid=tile]', { hasText: 'Carol' })
      .locator('[data-testid=remove]')
      .click(),
  )
  await rosters('Bob left, Carol removed', ['Alice', 'Dave', 'Phil'], since)
  since = Date.now()
  await act('Carol rejoins', () => pages.Carol.page.getByRole('button', { name: 'Rejoin' }).click())
  await rosters('Carol rejoined', ['Alice', 'Carol', 'Dave', 'Phil'], since)
  since = Date.now()
  await act('Bob rejoins', () => pages.Bob.page.getByRole('button', { name: 'Rejoin' }).click())
  await rosters('Bob rejoined', [...NAMES], since)
  await sleep(holdMs)
  since = Date.now()
  const rostersRightAtEnd = await rosters(`held ${holdMs / 1000} s`, [...NAMES], since)
  // Right at the first reading, or the hold hid a roster that was wrong. Not by how long that reading
  // took: a page whose main thread stalls answers seconds late with the tiles it had all along.
  const rightAtEnd = rostersRightAtEnd && steps.at(-1)?.rightAtFirst === true
  await act('Alice ends', () => pages.Alice.page.locator('[data-testid=end]').click())
  let endedTold = 0
  for (const name of NAMES) {
    try {
      await pages[name].waitForEvent({ callback: 'onMeetingLeft', reason: 'ended' }, 20_000)
      endedTold++
    } catch {
      // Counted as not told.
    }
  }
  const events = {} as Record<Name, LogEntry[]>
  const traces = {} as Record<Name, PageTrace>
  const errors: string[] = []
  for (const name of NAMES) {
    events[name] = await pages[name].events()
    traces[name] = await readTrace(pages[name].page)
    for (const e of events[name])
      if (e.callback === 'onError') errors.push(`${name}: ${e.reason} ${e.detail}`)
    await pages[name].page.context().close()
  }
  return { t0, steps, rostersRightAtEnd: rightAtEnd, endedTold, events, traces, errors }
}
