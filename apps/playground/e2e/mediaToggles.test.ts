import { describe, expect, it } from 'vitest'
import { freshMeetingId, SETTLE_MS, setupPlayground, sleep } from './support/harness.js'
import { ParticipantPage } from './support/participantPage.js'
import { closeRoom, errorsIn, openRoom } from './support/room.js'
import { recordTiming } from './support/timings.js'

// Four tabs with cameras: one turns its camera (then its microphone) off and on, and every other tab must
// show it on that participant's tile. Times are from the click, by each page's own clock (one machine).
const pg = setupPlayground()
// A liveness bound, not a speed goal (the bench times it): a media change is sent once, on a reliable
// channel, so one never told fails here; four camera tabs on a loaded 2-core machine can take seconds.
const TOLD_WITHIN_MS = 10_000
const ROUNDS = 3

type Clicked = typeof globalThis & { __clickedAt: Record<string, number> }

/** Notes when the page itself got each click on a media button (without the test driver's delay). */
async function watchClicks(page: ParticipantPage) {
  await page.page.evaluate(() => {
    const page = globalThis as unknown as Clicked
    page.__clickedAt = {}
    document.addEventListener(
      'click',
      (event) => {
        const button = (event.target as Element | null)?.closest?.('[data-testid^=toggle-]')
        if (button) page.__clickedAt[button.getAttribute('data-testid') as string] = Date.now()
      },
      { capture: true },
    )
  })
}

/** Resolves with the page's Date.now() when `name`'s tile shows `attribute="value"`. */
function whenTileShows(page: ParticipantPage, name: string, attribute: string, value: string) {
  return page.page.evaluate(
    ({ name, attribute, value, timeout }) =>
      new Promise<number>((resolve, reject) => {
        const shown = () =>
          [...document.querySelectorAll('[data-testid=tile][data-local=false]')].some(
            (tile) => tile.textContent?.includes(name) && tile.getAttribute(attribute) === value,
          )
        if (shown()) return resolve(Date.now())
        const observer = new MutationObserver(() => {
          if (!shown()) return
          observer.disconnect()
          resolve(Date.now())
        })
        observer.observe(document.body, { attributes: true, childList: true, subtree: true })
        setTimeout(() => reject(new Error(`${name}'s tile never showed ${attribute}=${value}`)), timeout)
      }),
    { name, attribute, value, timeout: TOLD_WITHIN_MS },
  )
}

/** Clicks a media button in `actor` and returns, per other page, ms from the click until it showed. */
async function toggleAndMeasure(
  actor: ParticipantPage,
  others: ParticipantPage[],
  button: 'toggle-webcam' | 'toggle-mic',
  attribute: 'data-webcam' | 'data-mic',
  value: 'on' | 'off',
): Promise<number[]> {
  const seen = others.map((page) => whenTileShows(page, actor.name, attribute, value))
  await actor.page.locator(`[data-testid=${button}]`).click()
  const at = await Promise.all(seen)
  const clicked = await actor.page.evaluate((b) => (globalThis as unknown as Clicked).__clickedAt[b], button)
  if (clicked === undefined) throw new Error(`${actor.name}: the ${button} click was not seen by the page`)
  return at.map((t) => t - clicked)
}

const acquired = (page: ParticipantPage) =>
  page.page.evaluate(() =>
    (globalThis as unknown as { __acquired: MediaStreamTrack[] }).__acquired.map(
      (t) => `${t.kind}:${t.readyState}:${t.enabled ? 'enabled' : 'disabled'}`,
    ),
  )

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number
}

describe('four tabs with cameras: microphone and camera toggles', () => {
  it('every other tab shows the camera and microphone go off and on; the camera is stopped while off; no onError', async () => {
    const meetingId = freshMeetingId()
    // The late joiner's tab is loaded now, before four cameras load the machine; it joins at the end.
    const lateLobby = await ParticipantPage.openLobby(pg.browser, pg.playground.url)
    const pages = await openRoom(pg.browser, pg.playground.url, meetingId, 4, true)
    const [host, p1, p2, p3] = pages as [ParticipantPage, ParticipantPage, ParticipantPage, ParticipantPage]
    const others = [host, p2, p3]
    await watchClicks(p1)
    const cameraOff: number[] = []
    const cameraOn: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      cameraOff.push(...(await toggleAndMeasure(p1, others, 'toggle-webcam', 'data-webcam', 'off')))
      // The camera this tab opened is stopped (its light goes off); the microphone goes on.
      const off = await acquired(p1)
      expect(off.filter((t) => t.startsWith('video:live'))).toEqual([])
      expect(off.filter((t) => t.startsWith('audio:live'))).toHaveLength(1)
      expect(await p1.page.locator('[data-testid=tile][data-local=true]').getAttribute('data-webcam')).toBe(
        'off',
      )
      cameraOn.push(...(await toggleAndMeasure(p1, others, 'toggle-webcam', 'data-webcam', 'on')))
      // Opened again: one live camera track, the old ones still ended.
      await p1.page.waitForFunction(
        () =>
          (globalThis as unknown as { __acquired: MediaStreamTrack[] }).__acquired.filter(
            (t) => t.kind === 'video' && t.readyState === 'live',
          ).length === 1,
        undefined,
        { timeout: TOLD_WITHIN_MS },
      )
    }
    // The camera came back to the others: frames flow again on p1's tile in every other tab.
    for (const page of others) {
      await page.page.waitForFunction(
        (name) => {
          const tile = [...document.querySelectorAll('[data-testid=tile][data-local=false]')].find((t) =>
            t.textContent?.includes(name),
          )
          const video = tile?.querySelector('video')
          if (!video) return false
          const w = globalThis as unknown as { __lastTime?: number }
          const moved = w.__lastTime !== undefined && video.currentTime > w.__lastTime
          w.__lastTime = video.currentTime
          return moved
        },
        p1.name,
        { timeout: TOLD_WITHIN_MS, polling: 300 },
      )
    }

    await watchClicks(p2)
    const micOff = await toggleAndMeasure(p2, [host, p1, p3], 'toggle-mic', 'data-mic', 'off')
    // Muted: the microphone track stays open and sends silence.
    expect((await acquired(p2)).filter((t) => t.startsWith('audio:'))).toEqual(['audio:live:disabled'])
    // The event log says what the change left, not only that something changed.
    await expect
      .poll(async () => (await host.eventsMatching('onParticipantMediaChanged', p2.name)).at(-1)?.detail)
      .toBe('mic off, camera on')
    const micOn = await toggleAndMeasure(p2, [host, p1, p3], 'toggle-mic', 'data-mic', 'on')
    expect((await acquired(p2)).filter((t) => t.startsWith('audio:'))).toEqual(['audio:live:enabled'])

    for (const [label, values] of [
      ['camera off', cameraOff],
      ['camera on', cameraOn],
      ['microphone off', micOff],
      ['microphone on', micOn],
    ] as const) {
      recordTiming(
        `4 tabs: ${label} click -> every other tab shows it, p50 (n=${values.length})`,
        percentile(values, 50),
      )
      recordTiming(
        `4 tabs: ${label} click -> every other tab shows it, p95 (n=${values.length})`,
        percentile(values, 95),
      )
      for (const ms of values) expect(ms).toBeLessThan(TOLD_WITHIN_MS)
    }
    await sleep(SETTLE_MS)
    expect(await errorsIn(pages)).toEqual([])
    // A late joiner finds p1 muted as it is, without anyone toggling again. The other three cameras go
    // off first: a fifth tab joining four camera tabs on a 2-core machine running the rest of the suite
    // took longer than this test's budget in 2 of 2 full runs (passing alone in 55-72 s).
    for (const page of others) {
      await page.page.locator('[data-testid=toggle-webcam]').click()
      await expect
        .poll(() => page.page.locator('[data-testid=tile][data-local=true]').getAttribute('data-webcam'))
        .toBe('off')
    }
    await p1.page.locator('[data-testid=toggle-mic]').click()
    const late = await lateLobby.join({
      meetingId,
      name: 'P4',
      role: 'participant',
      camera: false,
    })
    await late.waitForEvent({ callback: 'onMeetingJoined' }, 60_000)
    await late.page.waitForFunction(
      () => document.querySelectorAll('[data-testid=tile]').length === 5,
      undefined,
      { timeout: 60_000 },
    )
    expect(await late.page.locator('[data-testid=tile]', { hasText: 'P1' }).getAttribute('data-mic')).toBe(
      'off',
    )
    expect(await errorsIn([...pages, late])).toEqual([])
    await closeRoom([...pages, late])
  }, 240_000) // its own waits: three rounds of 10 s bounds, then 60 s for the late join and 60 s for its tiles
})
