import { describe, expect, it } from 'vitest'
import {
  DEPARTURE_TIMEOUT_MS,
  freshMeetingId,
  HEARTBEAT_INTERVAL_MS,
  SETTLE_MS,
  setupPlayground,
  sleep,
} from './support/harness.js'
import type { ParticipantPage } from './support/participantPage.js'
import { recordTiming, resultsDir } from './support/timings.js'

// The scenario, steps 1-7, in the order a meeting lives them.
const pg = setupPlayground()

describe('three participants: join, leave, end', () => {
  let alice: ParticipantPage
  let bob: ParticipantPage
  let carol: ParticipantPage

  it('1. three tabs join the same meeting; each sees the other two tiles with live video', async () => {
    // Three tabs of one browser window: each tab is a participant of its own.
    const tabs = await pg.browser.newContext({ viewport: { width: 1280, height: 900 } })
    ;[alice, bob, carol] = await pg.joinThree(freshMeetingId(), ['Alice', 'Bob', 'Carol'], tabs)
    for (const page of [alice, bob, carol]) {
      await page.waitForLiveRemoteVideos(2)
      expect(await page.tileCount()).toBe(3)
      expect(await page.liveRemoteVideos()).toBe(2)
      await page.waitForAdvancingRemoteVideos()
      // Only Alice is a host, and everyone sees her badge on her tile.
      expect(await page.page.locator('[data-testid=host-badge]').count()).toBe(1)
      // One token per join, bound to the session's key: every re-render since kept the same meeting.
      expect(await page.tokenRequests()).toBe(1)
      expect((await page.granted()).role).toBe(page === alice ? 'host' : 'participant')
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
    const reason = carol.page.locator('[data-testid=end-disabled-reason]')
    expect(await reason.textContent()).toMatch(/only a host/i)
    // The reason has a line of its own, under the buttons, and the status says who one is.
    const [reasonBox, endBox] = [await reason.boundingBox(), await carolEnd.boundingBox()]
    expect(reasonBox!.y).toBeGreaterThanOrEqual(endBox!.y + endBox!.height)
    expect(await carol.page.locator('[data-testid=own-status]').textContent()).toBe(
      'joined · you are a participant',
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
    ;[dora, eve, finn] = await pg.joinThree(freshMeetingId(), ['Dora', 'Eve', 'Finn'])
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
    // Silence is counted from the last heartbeat heard and checked once per interval. A tab whose timers
    // fired late before the crash (a loaded machine) announced it and earned at most one floor more (the
    // detector's documented bound, ARCHITECTURE.md); 1 s more for a busy machine.
    expect(detected).toBeLessThanOrEqual(2 * DEPARTURE_TIMEOUT_MS + HEARTBEAT_INTERVAL_MS + 1000)
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
