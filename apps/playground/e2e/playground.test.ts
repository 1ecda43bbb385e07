import { randomUUID } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type RunningPlayground, startPlayground } from '../scripts/startPlayground.js'
import { launchChromium } from './support/chromium.js'
import { ParticipantPage } from './support/participantPage.js'
import { recordTiming, resultsDir } from './support/timings.js'

// The playground's meetings use core's defaults.
const DEPARTURE_TIMEOUT_MS = 3000
const HEARTBEAT_INTERVAL_MS = 1000
// Goodbyes are resent for up to leaveTimeoutMs (1 s); a duplicate event would show up within it.
const SETTLE_MS = 2000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const freshMeetingId = () => `e2e-${randomUUID().slice(0, 8)}`

let playground: RunningPlayground
let browser: Browser

beforeAll(async () => {
  // Served exactly as `npm start` serves it, on free ports.
  playground = await startPlayground({ port: 0, logLevel: 'error' })
  browser = await launchChromium()
  mkdirSync(resultsDir, { recursive: true })
})

afterAll(async () => {
  await browser?.close()
  await playground?.close()
})

type Three = [ParticipantPage, ParticipantPage, ParticipantPage]

async function joinThree(
  meetingId: string,
  names: [string, string, string],
  where: Browser | BrowserContext = browser,
): Promise<Three> {
  const pages: ParticipantPage[] = []
  for (const [i, name] of names.entries()) {
    const page = await ParticipantPage.open(where, playground.url, {
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
}

describe('three participants: join, leave, end', () => {
  let alice: ParticipantPage
  let bob: ParticipantPage
  let carol: ParticipantPage

  it('1. three tabs join the same meeting; each sees the other two tiles with live video', async () => {
    // Three tabs of one browser window: each tab is a participant of its own.
    const tabs = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    ;[alice, bob, carol] = await joinThree(freshMeetingId(), ['Alice', 'Bob', 'Carol'], tabs)
    for (const page of [alice, bob, carol]) {
      await page.waitForLiveRemoteVideos(2)
      expect(await page.tileCount()).toBe(3)
      expect(await page.liveRemoteVideos()).toBe(2)
      const before = await page.remoteVideoTimes()
      await sleep(1000)
      const after = await page.remoteVideoTimes()
      expect(after.every((time, i) => time > (before[i] ?? Number.POSITIVE_INFINITY))).toBe(true)
      // Only Alice is a host, and everyone sees her badge on her tile.
      expect(await page.page.locator('[data-testid=host-badge]').count()).toBe(1)
    }
    // 6. The statechart panel highlights joined.
    for (const page of [alice, bob, carol]) {
      expect(await page.activeStates()).toEqual(expect.arrayContaining(['joined', 'joined.connected']))
      await expect
        .poll(() =>
          page.page.locator('[data-testid=statechart] [data-state=joined]').getAttribute('data-active'),
        )
        .toBe('true')
    }
    // 7. Screenshots of the meeting view with three tiles.
    for (const page of [alice, bob, carol]) {
      await page.page.screenshot({
        path: `${resultsDir}meeting-three-tiles-${page.name}.png`,
        fullPage: true,
      })
    }
  })

  it('2. B leaves: A and C log onParticipantLeft for B exactly once; B logs onMeetingLeft; all of B’s tracks end', async () => {
    expect(await bob.acquiredTracks()).toEqual(['live', 'live'])
    const clicked = Date.now()
    await bob.page.locator('[data-testid=leave]').click()
    const [bobLeft, seenByAlice, seenByCarol] = await Promise.all([
      bob.waitForEvent({ callback: 'onMeetingLeft' }),
      alice.waitForEvent({ callback: 'onParticipantLeft', participant: 'Bob' }),
      carol.waitForEvent({ callback: 'onParticipantLeft', participant: 'Bob' }),
    ])
    recordTiming('step 2: Leave click -> B onMeetingLeft', bobLeft.at - clicked)
    recordTiming(
      'step 2: Leave click -> A and C onParticipantLeft(B)',
      Math.max(seenByAlice.at, seenByCarol.at) - clicked,
    )
    expect(bobLeft.reason).toBe('left')
    expect(seenByAlice.reason).toBe('left')
    expect(seenByCarol.reason).toBe('left')

    await sleep(SETTLE_MS)
    expect(await alice.eventsMatching('onParticipantLeft', 'Bob')).toHaveLength(1)
    expect(await carol.eventsMatching('onParticipantLeft', 'Bob')).toHaveLength(1)
    expect(await bob.eventsMatching('onMeetingLeft')).toHaveLength(1)
    // Every track Bob's page acquired with getUserMedia, and every one the meeting reported, is ended.
    expect(await bob.acquiredTracks()).toEqual(['ended', 'ended'])
    expect((await bob.localTracks()).map((t) => t.readyState)).toEqual(['ended', 'ended'])
    expect(await alice.tileCount()).toBe(2)
    expect(await carol.tileCount()).toBe(2)
  })

  it('3. C cannot End; A (host) ends: every page logs onMeetingLeft ended, every local track ends', async () => {
    const carolEnd = carol.page.locator('[data-testid=end]')
    await expect.poll(() => carolEnd.isDisabled()).toBe(true)
    expect(await carol.page.locator('[data-testid=end-disabled-reason]').textContent()).toMatch(
      /only a host/i,
    )
    expect(await alice.page.locator('[data-testid=end]').isEnabled()).toBe(true)

    const clicked = Date.now()
    await alice.page.locator('[data-testid=end]').click()
    const [aliceLeft, carolLeft] = await Promise.all([
      alice.waitForEvent({ callback: 'onMeetingLeft' }),
      carol.waitForEvent({ callback: 'onMeetingLeft' }),
    ])
    recordTiming(
      'step 3: End click -> every page onMeetingLeft(ended)',
      Math.max(aliceLeft.at, carolLeft.at) - clicked,
    )
    expect(aliceLeft.reason).toBe('ended')
    expect(carolLeft.reason).toBe('ended')

    await sleep(SETTLE_MS)
    for (const page of [alice, carol]) {
      expect(await page.eventsMatching('onMeetingLeft')).toHaveLength(1)
      // End is not a storm of departures.
      expect(await page.eventsMatching('onParticipantLeft', page === alice ? 'Carol' : 'Alice')).toHaveLength(
        0,
      )
      expect(await page.acquiredTracks()).toEqual(['ended', 'ended'])
      expect((await page.localTracks()).map((t) => t.readyState)).toEqual(['ended', 'ended'])
      // 6. The statechart panel highlights ended.
      expect(await page.activeStates()).toEqual(['ended'])
      expect(
        await page.page.locator('[data-testid=statechart] [data-state=ended]').getAttribute('data-active'),
      ).toBe('true')
      expect(
        await page.page.locator('[data-testid=statechart] [data-state=joined]').getAttribute('data-active'),
      ).toBe('false')
    }
    // Bob, who had left before, is not told anything more.
    expect(await bob.eventsMatching('onMeetingLeft')).toHaveLength(1)
  })
})

describe('departures without a goodbye', () => {
  let dora: ParticipantPage
  let eve: ParticipantPage
  let finn: ParticipantPage

  it('4. a crashed page (CDP Page.crash) is reported disconnected within the departure timeout', async () => {
    ;[dora, eve, finn] = await joinThree(freshMeetingId(), ['Dora', 'Eve', 'Finn'])
    const cdp = await finn.page.context().newCDPSession(finn.page)
    const crashed = Date.now()
    // Page.crash never answers: the renderer is gone.
    void cdp.send('Page.crash').catch(() => {})
    const [seenByDora, seenByEve] = await Promise.all([
      dora.waitForEvent({ callback: 'onParticipantLeft', participant: 'Finn' }),
      eve.waitForEvent({ callback: 'onParticipantLeft', participant: 'Finn' }),
    ])
    const detected = Math.max(seenByDora.at, seenByEve.at) - crashed
    recordTiming('step 4: Page.crash -> others onParticipantLeft(disconnected)', detected)
    expect(seenByDora.reason).toBe('disconnected')
    expect(seenByEve.reason).toBe('disconnected')
    // Silence is counted from the last heartbeat heard and checked once per interval; 1 s for a busy machine.
    expect(detected).toBeLessThanOrEqual(DEPARTURE_TIMEOUT_MS + HEARTBEAT_INTERVAL_MS + 1000)
    await sleep(SETTLE_MS)
    expect(await dora.eventsMatching('onParticipantLeft', 'Finn')).toHaveLength(1)
    expect(await eve.eventsMatching('onParticipantLeft', 'Finn')).toHaveLength(1)
  })

  it('5. a page closed normally is reported as left (the pagehide goodbye)', async () => {
    const closed = Date.now()
    await eve.page.close()
    const seen = await dora.waitForEvent({ callback: 'onParticipantLeft', participant: 'Eve' })
    recordTiming('step 5: page.close -> others onParticipantLeft(left)', seen.at - closed)
    expect(seen.reason).toBe('left')
    await sleep(SETTLE_MS)
    expect(await dora.eventsMatching('onParticipantLeft', 'Eve')).toHaveLength(1)
    // Dora is now alone, so End is hers to use even as a host of an empty room.
    expect(await dora.tileCount()).toBe(1)
  })
})

describe('host tools', () => {
  it('a host removes a participant: they are told removed, the others see them leave as removed', async () => {
    const meetingId = freshMeetingId()
    const [host, guest, other] = await joinThree(meetingId, ['Hana', 'Gus', 'Olga'])
    await expect.poll(() => guest.page.locator('[data-testid=remove]').count()).toBe(0)
    await host.page
      .locator('[data-testid=tile][data-local=false]', { hasText: 'Gus' })
      .locator('[data-testid=remove]')
      .click()
    const [gone, seenByHost, seenByOther] = await Promise.all([
      guest.waitForEvent({ callback: 'onMeetingLeft' }),
      host.waitForEvent({ callback: 'onParticipantLeft', participant: 'Gus' }),
      other.waitForEvent({ callback: 'onParticipantLeft', participant: 'Gus' }),
    ])
    expect(gone.reason).toBe('removed')
    expect(seenByHost.reason).toBe('removed')
    expect(seenByOther.reason).toBe('removed')
    await sleep(SETTLE_MS)
    expect(await guest.acquiredTracks()).toEqual(['ended', 'ended'])
    expect(await guest.page.locator('[data-testid=meeting-over]').getAttribute('data-reason')).toBe('removed')
    for (const page of [host, guest, other]) await page.page.context().close()
  })
})

describe('Inspect switch', () => {
  it('says clearly when the inspector cannot be reached, and the meeting runs on', async () => {
    // A port nothing listens on stands for stately.ai without internet, whatever the machine running this.
    const unreachable = 'http://127.0.0.1:9/inspect'
    const page = await ParticipantPage.open(
      browser,
      `${playground.url}?inspector=${encodeURIComponent(unreachable)}`,
      {
        meetingId: freshMeetingId(),
        name: 'Ines',
        role: 'host',
      },
    )
    await page.waitForEvent({ callback: 'onMeetingJoined' })
    await page.page.locator('[data-testid=inspect] input').check()
    const inspect = page.page.locator('[data-testid=inspect]')
    await expect.poll(() => inspect.getAttribute('data-status'), { timeout: 15_000 }).toBe('unreachable')
    expect(await inspect.getByRole('alert').textContent()).toMatch(/Inspector cannot be reached/)
    expect(await page.activeStates()).toContain('joined')
    await page.page.locator('[data-testid=inspect] input').uncheck()
    expect(await inspect.getAttribute('data-status')).toBe('off')
    await page.page.context().close()
  })

  it('attaches the browser inspector to the meeting actor, even when switched on mid-meeting', async () => {
    const inspectorUrl = new URL('e2e/fixtures/inspector.html', playground.url).href
    const page = await ParticipantPage.open(
      browser,
      `${playground.url}?inspector=${encodeURIComponent(inspectorUrl)}`,
      {
        meetingId: freshMeetingId(),
        name: 'Ivo',
        role: 'host',
      },
    )
    await page.waitForEvent({ callback: 'onMeetingJoined' })
    const [inspector] = await Promise.all([
      page.page.context().waitForEvent('page'),
      page.page.locator('[data-testid=inspect] input').check(),
    ])
    const inspect = page.page.locator('[data-testid=inspect]')
    await expect.poll(() => inspect.getAttribute('data-status'), { timeout: 10_000 }).toBe('connected')
    type Received = { type: string; name?: string; sessionId: string; snapshot?: { value?: unknown } }
    const received = () =>
      inspector.evaluate(() => (globalThis as unknown as { received: Received[] }).received)
    // The meeting actor was registered before the switch was on; the bridge replays it, and its snapshots follow.
    const reachedState = async (state: string) => {
      const events = await received()
      const meetingActors = new Set(
        events.filter((e) => e.type === '@xstate.actor' && e.name === 'meeting').map((e) => e.sessionId),
      )
      return events.some(
        (e) =>
          e.type === '@xstate.snapshot' &&
          meetingActors.has(e.sessionId) &&
          String(JSON.stringify(e.snapshot?.value)).includes(state),
      )
    }
    await expect.poll(() => reachedState('joined'), { timeout: 10_000 }).toBe(true)
    await page.page.locator('[data-testid=end]').click()
    await page.waitForEvent({ callback: 'onMeetingLeft', reason: 'ended' })
    await expect.poll(() => reachedState('ended'), { timeout: 10_000 }).toBe(true)
    await page.page.context().close()
  })
})

describe('lobby choices', () => {
  it('offers a fresh meeting id; camera off shows an avatar instead of video on every page', async () => {
    const context = await browser.newContext()
    const lobby = await context.newPage()
    await lobby.goto(playground.url)
    const offered = await lobby.locator('[data-testid=lobby] input[name=meetingId]').inputValue()
    await lobby.locator('[data-testid=lobby] button', { hasText: 'New' }).click()
    const another = await lobby.locator('[data-testid=lobby] input[name=meetingId]').inputValue()
    expect(offered).toMatch(/^room-/)
    expect(another).toMatch(/^room-/)
    expect(another).not.toBe(offered)
    await context.close()

    const meetingId = freshMeetingId()
    const withCamera = await ParticipantPage.open(browser, playground.url, {
      meetingId,
      name: 'Vera',
      role: 'host',
    })
    await withCamera.waitForEvent({ callback: 'onMeetingJoined' })
    const noCamera = await ParticipantPage.open(browser, playground.url, {
      meetingId,
      name: 'Nico',
      role: 'participant',
      camera: false,
    })
    await noCamera.waitForEvent({ callback: 'onMeetingJoined' })
    await noCamera.waitForLiveRemoteVideos(1)
    // Nico sends audio only: his tile is an avatar on his page and on Vera's.
    await withCamera.waitForEvent({ callback: 'onParticipantMediaChanged', participant: 'Nico' })
    const nicoOnVera = withCamera.page.locator('[data-testid=tile][data-local=false]')
    await expect.poll(() => nicoOnVera.locator('[data-testid=avatar]').count(), { timeout: 10_000 }).toBe(1)
    expect(await nicoOnVera.locator('video').count()).toBe(0)
    expect(
      await noCamera.page.locator('[data-testid=tile][data-local=true] [data-testid=avatar]').count(),
    ).toBe(1)
    expect((await noCamera.localTracks()).map((t) => t.kind)).toEqual(['audio'])
    for (const page of [withCamera, noCamera]) await page.page.context().close()
  })
})
