import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import { type RunningPlayground, startPlayground } from '../../scripts/startPlayground.js'
import { launchChromium } from './chromium.js'
import { ParticipantPage } from './participantPage.js'
import { resultsDir } from './timings.js'

/** The playground's meetings use core's defaults. */
export const DEPARTURE_TIMEOUT_MS = 3000
export const HEARTBEAT_INTERVAL_MS = 1000
/** Goodbyes are resent every 250 ms until confirmed; a duplicate event would show up within this. */
export const SETTLE_MS = 2000

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
export const freshMeetingId = () => `e2e-${randomUUID().slice(0, 8)}`

export type Three = [ParticipantPage, ParticipantPage, ParticipantPage]

export interface PlaygroundHarness {
  readonly playground: RunningPlayground
  readonly browser: Browser
  /** Three participants join one by one (the first as host) until each page shows three tiles. */
  joinThree(
    meetingId: string,
    names: [string, string, string],
    where?: Browser | BrowserContext,
  ): Promise<Three>
}

/**
 * Per test file: the playground served exactly as `npm start` serves it (on free ports) and one
 * Chromium, both stopped after the file.
 */
export function setupPlayground(): PlaygroundHarness {
  let playground: RunningPlayground | undefined
  let browser: Browser | undefined
  beforeAll(async () => {
    playground = await startPlayground({ port: 0, logLevel: 'error' })
    browser = await launchChromium()
    mkdirSync(resultsDir, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
    await playground?.close()
  })
  const harness: PlaygroundHarness = {
    get playground() {
      if (!playground) throw new Error('setupPlayground(): used before beforeAll ran')
      return playground
    },
    get browser() {
      if (!browser) throw new Error('setupPlayground(): used before beforeAll ran')
      return browser
    },
    async joinThree(meetingId, names, where = harness.browser) {
      const pages: ParticipantPage[] = []
      for (const [i, name] of names.entries()) {
        const page = await ParticipantPage.open(where, harness.playground.url, {
          meetingId,
          name,
          role: i === 0 ? 'host' : 'participant',
        })
        await page.waitForEvent({ callback: 'onMeetingJoined' })
        pages.push(page)
      }
      // Everyone has everyone else: the last one found them at join, the others were told.
      for (const page of pages) {
        await page.page.waitForFunction(
          (n) => document.querySelectorAll('[data-testid=tile]').length === n,
          names.length,
        )
      }
      return pages as Three
    },
  }
  return harness
}
