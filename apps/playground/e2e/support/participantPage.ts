import type { Browser, BrowserContext, Page } from 'playwright-core'
import type { LogEntry } from '../../src/logEntry.js'
import type { PlaygroundTestHook } from '../../src/testHook.js'

export interface JoinAs {
  meetingId: string
  name: string
  role: 'host' | 'participant'
  /** Defaults to `true`. */
  camera?: boolean
}

type Hooked = typeof globalThis & { __convene: PlaygroundTestHook; __acquired: MediaStreamTrack[] }

// Runs before the app: records every track the page acquires, independently of what the app reports.
function recordAcquiredTracks() {
  const page = globalThis as unknown as Hooked
  page.__acquired = []
  const devices = navigator.mediaDevices
  const getUserMedia = devices.getUserMedia.bind(devices)
  devices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints)
    page.__acquired.push(...stream.getTracks())
    return stream
  }
}

/** Run in a page before its app: a function, or JavaScript source. */
export type InitScript = (() => void) | string

/** One participant: a page of its own (own browser context, like a separate tab or browser). */
export class ParticipantPage {
  private constructor(
    readonly page: Page,
    readonly name: string,
  ) {}

  /** Opens a tab in `where`: a browser (a context of its own) or a context shared with other tabs. */
  static async open(
    where: Browser | BrowserContext,
    url: string,
    who: JoinAs,
    /** Run in the page before the app, after the track recorder, in this order. */
    init: InitScript | InitScript[] = [],
  ): Promise<ParticipantPage> {
    return (await ParticipantPage.openLobby(where, url, init)).join(who)
  }

  /**
   * Opens a tab at the lobby without joining, for someone who joins later: loading a page of the dev
   * server while four camera tabs run can take longer than a navigation may, and the lobby does nothing
   * before Join is clicked.
   */
  static async openLobby(
    where: Browser | BrowserContext,
    url: string,
    init: InitScript | InitScript[] = [],
  ): Promise<{ join(who: JoinAs): Promise<ParticipantPage> }> {
    const context =
      'newContext' in where ? await where.newContext({ viewport: { width: 1280, height: 900 } }) : where
    const page = await context.newPage()
    await page.addInitScript(recordAcquiredTracks)
    for (const script of [init].flat()) await page.addInitScript(script)
    await page.goto(url)
    return {
      async join(who) {
        await page.locator('[data-testid=lobby] input[name=meetingId]').fill(who.meetingId)
        await page.locator('[data-testid=lobby] input[name=name]').fill(who.name)
        await page.locator(`[data-testid=lobby] input[name=role][value=${who.role}]`).check()
        await page.locator('[data-testid=lobby] input[name=camera]').setChecked(who.camera ?? true)
        await page.locator('[data-testid=lobby] button[type=submit]').click()
        return new ParticipantPage(page, who.name)
      },
    }
  }

  /** The page's event log (what `useMeeting` called), oldest first. */
  events(): Promise<LogEntry[]> {
    return this.page.evaluate(() => (globalThis as unknown as Hooked).__convene.events)
  }

  /** Waits until the log has an entry matching `match`, and returns it. */
  async waitForEvent(
    match: Partial<Pick<LogEntry, 'callback' | 'reason'>> & { participant?: string },
    timeout = 30_000,
  ) {
    const handle = await this.page.waitForFunction(
      (m) =>
        (globalThis as unknown as Hooked).__convene.events.find(
          (e) =>
            (m.callback === undefined || e.callback === m.callback) &&
            (m.reason === undefined || e.reason === m.reason) &&
            (m.participant === undefined || e.participant?.name === m.participant),
        ) ?? false,
      match,
      { timeout, polling: 50 },
    )
    return (await handle.jsonValue()) as LogEntry
  }

  async eventsMatching(callback: string, participant?: string): Promise<LogEntry[]> {
    return (await this.events()).filter(
      (e) => e.callback === callback && (participant === undefined || e.participant?.name === participant),
    )
  }

  /** readyState of every track the page acquired with getUserMedia. */
  acquiredTracks(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as Hooked).__acquired.map((t) => t.readyState))
  }

  /** Size and frame rate of every camera track the page acquired, as the camera gives them. */
  acquiredVideo(): Promise<{ width?: number; height?: number; frameRate?: number }[]> {
    return this.page.evaluate(() =>
      (globalThis as unknown as Hooked).__acquired
        .filter((t) => t.kind === 'video')
        .map((t) => {
          const { width, height, frameRate } = t.getSettings()
          return { width, height, frameRate }
        }),
    )
  }

  /** readyState of every local track the meeting reported (the app's own hook). */
  localTracks(): Promise<{ kind: string; readyState: string }[]> {
    return this.page.evaluate(() => (globalThis as unknown as Hooked).__convene.localTracks())
  }

  /** How many times this page's meeting asked its token function for a token. */
  tokenRequests(): Promise<number> {
    return this.page.evaluate(() => (globalThis as unknown as Hooked).__convene.tokenRequests)
  }

  /** The id and role the token server granted, as the page shows them. */
  async granted(): Promise<{ id: string | null; role: string | null }> {
    const token = this.page.locator('[data-testid=token][data-status=granted]')
    return {
      id: await token.locator('[data-testid=granted-id]').textContent(),
      role: await token.locator('[data-testid=granted-role]').textContent(),
    }
  }

  activeStates(): Promise<string[]> {
    return this.page.evaluate(() => (globalThis as unknown as Hooked).__convene.activeStates)
  }

  /** Remote tiles whose video is really playing frames. */
  liveRemoteVideos(): Promise<number> {
    return this.page.evaluate(
      () =>
        [...document.querySelectorAll<HTMLVideoElement>('[data-testid=tile][data-local=false] video')].filter(
          (v) => v.readyState >= 2 && v.videoWidth > 0,
        ).length,
    )
  }

  async waitForLiveRemoteVideos(count: number, timeout = 30_000): Promise<void> {
    await this.page.waitForFunction(
      (n) =>
        [...document.querySelectorAll<HTMLVideoElement>('[data-testid=tile][data-local=false] video')].filter(
          (v) => v.readyState >= 2 && v.videoWidth > 0,
        ).length >= n,
      count,
      { timeout, polling: 100 },
    )
  }

  /** The remote videos' playback positions: they advance only while frames keep arriving. */
  remoteVideoTimes(): Promise<number[]> {
    return this.page.evaluate(() =>
      [...document.querySelectorAll<HTMLVideoElement>('[data-testid=tile][data-local=false] video')].map(
        (v) => v.currentTime,
      ),
    )
  }

  /**
   * Waits until every remote video has played past where it was when called. A fixed one-second window
   * reads a decoder stalled by a loaded machine as dead video; frames that never come still fail here.
   */
  async waitForAdvancingRemoteVideos(timeout = 15_000): Promise<void> {
    const before = await this.remoteVideoTimes()
    await this.page.waitForFunction(
      (start) => {
        const times = [
          ...document.querySelectorAll<HTMLVideoElement>('[data-testid=tile][data-local=false] video'),
        ].map((v) => v.currentTime)
        return times.length === start.length && times.every((time, i) => time > (start[i] ?? Infinity))
      },
      before,
      { timeout, polling: 100 },
    )
  }

  tileCount(): Promise<number> {
    return this.page.locator('[data-testid=tile]').count()
  }
}
