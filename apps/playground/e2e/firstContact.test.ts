import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { freshMeetingId, setupPlayground } from './support/harness.js'
import { ParticipantPage } from './support/participantPage.js'
import { resultsDir } from './support/timings.js'

// What a newcomer meets first: a phone-sized screen, an invite for a second tab, a name that is
// remembered, a token line that reads right, who comes and goes, and tiles that are never just black.
const pg = setupPlayground()

type Hooked = typeof globalThis & { __convene: { events: { callback: string; reason?: string }[] } }
const joined = (page: Page) =>
  page.waitForFunction(
    () => (globalThis as unknown as Hooked).__convene.events.some((e) => e.callback === 'onMeetingJoined'),
    null,
    { timeout: 30_000 },
  )

/** True when the element's centre is the element itself (or inside it), not something drawn over it. */
const uncovered = (page: Page, selector: string) =>
  page.locator(selector).evaluate((el) => {
    const box = el.getBoundingClientRect()
    const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)
    return box.width > 0 && box.right <= innerWidth && top !== null && el.contains(top)
  })

describe('on a phone', () => {
  it.each([
    [360, 740],
    [390, 844],
  ])(
    'at %ix%i nothing covers Leave or End, nothing scrolls sideways, and Leave works',
    async (width, height) => {
      const meetingId = freshMeetingId()
      const phone = await pg.browser.newContext({
        viewport: { width, height },
        isMobile: true,
        hasTouch: true,
      })
      const host = await ParticipantPage.open(phone, pg.playground.url, {
        meetingId,
        name: 'Pia',
        role: 'host',
      })
      await host.waitForEvent({ callback: 'onMeetingJoined' })
      const desk = await ParticipantPage.open(pg.browser, pg.playground.url, {
        meetingId,
        name: 'Dev',
        role: 'participant',
      })
      await desk.waitForEvent({ callback: 'onMeetingJoined' })
      await host.page.waitForFunction(() => document.querySelectorAll('[data-testid=tile]').length === 2)

      const page = host.page
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
      expect(await uncovered(page, '[data-testid=leave]')).toBe(true)
      expect(await uncovered(page, '[data-testid=end]')).toBe(true)
      expect(await uncovered(page, '[data-testid=copy-invite]')).toBe(true)
      await page.screenshot({ path: `${resultsDir}phone-${width}x${height}.png` })

      // A real click: Playwright refuses it if anything else would receive it.
      await page.locator('[data-testid=leave]').click({ timeout: 5000 })
      expect((await host.waitForEvent({ callback: 'onMeetingLeft' })).reason).toBe('left')
      expect((await desk.waitForEvent({ callback: 'onParticipantLeft', participant: 'Pia' })).reason).toBe(
        'left',
      )
      expect(await page.locator('[data-testid=meeting-over]').getAttribute('data-reason')).toBe('left')
      expect(await uncovered(page, '[data-testid=meeting-over] button:last-of-type')).toBe(true)
      await phone.close()
      await desk.page.context().close()
    },
  )
})

describe('inviting someone', () => {
  it('Copy invite link gives the link to this very meeting; who joins and leaves is counted and toasted', async () => {
    const meetingId = freshMeetingId()
    const hostContext = await pg.browser.newContext({ viewport: { width: 1280, height: 900 } })
    await hostContext.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(pg.playground.url).origin,
    })
    const host = await ParticipantPage.open(hostContext, pg.playground.url, {
      meetingId,
      name: 'Hal',
      role: 'host',
    })
    await host.waitForEvent({ callback: 'onMeetingJoined' })
    const count = host.page.locator('[data-testid=participant-count]')
    expect(await count.getAttribute('data-count')).toBe('1')
    expect(await host.page.locator('[data-testid=invite] [role=status]').textContent()).toMatch(/alone/)

    await host.page.locator('[data-testid=copy-invite]').click()
    await expect
      .poll(() => host.page.locator('[data-testid=invite] [role=status]').textContent())
      .toMatch(/^Copied/)
    const link = await host.page.evaluate(() => navigator.clipboard.readText())
    expect(link).toBe(`${pg.playground.url}?meeting=${meetingId}`)
    expect(await host.page.locator('[data-testid=invite-link]').inputValue()).toBe(link)

    // The invited tab lands in the lobby of that meeting, as a participant, and says so.
    const guestContext = await pg.browser.newContext()
    const guest = await guestContext.newPage()
    await guest.goto(link)
    const lobby = guest.locator('[data-testid=lobby]')
    expect(await lobby.locator('input[name=meetingId]').inputValue()).toBe(meetingId)
    expect(await lobby.locator('input[name=role][value=participant]').isChecked()).toBe(true)
    expect(await guest.locator('[data-testid=lobby-hint]').textContent()).toContain(meetingId)
    await lobby.locator('input[name=name]').fill('Gia')
    await lobby.locator('button[type=submit]').click()
    await joined(guest)

    const toasts = host.page.locator('[data-testid=toast]')
    await expect.poll(() => toasts.allTextContents(), { timeout: 15_000 }).toContain('Gia joined')
    await expect.poll(() => count.getAttribute('data-count')).toBe('2')
    expect(await guest.locator('[data-testid=participant-count]').getAttribute('data-count')).toBe('2')
    // Toasts never take a click: Leave under them still works.
    expect(await toasts.first().evaluate((el) => getComputedStyle(el.parentElement!).pointerEvents)).toBe(
      'none',
    )

    await guest.locator('[data-testid=leave]').click()
    await expect.poll(() => toasts.allTextContents(), { timeout: 15_000 }).toContain('Gia left')
    await expect.poll(() => count.getAttribute('data-count')).toBe('1')
    await host.page.screenshot({ path: `${resultsDir}invite-and-toasts.png` })
    await hostContext.close()
    await guestContext.close()
  })
})

describe('coming back', () => {
  it('the display name survives a reload and Back to lobby; the token line gives a date and the time left', async () => {
    const context: BrowserContext = await pg.browser.newContext()
    const page = await context.newPage()
    await page.goto(pg.playground.url)
    const lobby = page.locator('[data-testid=lobby]')
    const name = lobby.locator('input[name=name]')
    expect(await name.inputValue()).toMatch(/^Guest /)
    await lobby.locator('input[name=meetingId]').fill(freshMeetingId())
    await name.fill('Rosa Remembered')
    await lobby.locator('button[type=submit]').click()
    await joined(page)

    // 12 hours ahead, with the date: a bare time would read as already past.
    const expiry = page.locator('[data-testid=token-expiry]')
    await expiry.waitFor()
    const at = Date.parse((await expiry.getAttribute('datetime'))!)
    expect(Math.abs(at - Date.now() - 12 * 3600_000)).toBeLessThan(120_000)
    const text = (await expiry.textContent())!
    expect(text).toContain(String(new Date(at).getFullYear()))
    expect(text).toMatch(/\(in (11 h 5\d min|12 h)\)/)

    await page.reload()
    expect(await name.inputValue()).toBe('Rosa Remembered')
    await lobby.locator('button[type=submit]').click()
    await joined(page)
    expect(await page.locator('[data-testid=tile][data-local=true] figcaption').textContent()).toContain(
      'Rosa Remembered',
    )
    await page.locator('[data-testid=leave]').click()
    await page.locator('[data-testid=meeting-over] button', { hasText: 'Back to lobby' }).click()
    expect(await name.inputValue()).toBe('Rosa Remembered')
    await context.close()
  })
})

// Runs in the page before the app: the camera is a canvas that sends no frame until __startFrames().
function frozenCamera() {
  const page = globalThis as unknown as { __startFrames: () => void }
  const devices = navigator.mediaDevices
  const getUserMedia = devices.getUserMedia.bind(devices)
  devices.getUserMedia = async (constraints) => {
    const stream = await getUserMedia(constraints)
    const canvas = document.createElement('canvas')
    canvas.width = 320
    canvas.height = 240
    const track = canvas.captureStream(0).getVideoTracks()[0] as CanvasCaptureMediaStreamTrack
    page.__startFrames = () => {
      const draw = canvas.getContext('2d')!
      let n = 0
      setInterval(() => {
        draw.fillStyle = `hsl(${(n++ * 20) % 360} 60% 50%)`
        draw.fillRect(0, 0, 320, 240)
        track.requestFrame()
      }, 50)
    }
    for (const real of stream.getVideoTracks()) {
      stream.removeTrack(real)
      real.stop()
    }
    stream.addTrack(track)
    return stream
  }
}

describe('a tile waiting for video', () => {
  it('shows the initials and "Waiting for video", not black, until the first frame; then the video', async () => {
    const meetingId = freshMeetingId()
    const fay = await ParticipantPage.open(
      pg.browser,
      pg.playground.url,
      { meetingId, name: 'Fay', role: 'host' },
      frozenCamera,
    )
    await fay.waitForEvent({ callback: 'onMeetingJoined' })
    const ben = await ParticipantPage.open(pg.browser, pg.playground.url, {
      meetingId,
      name: 'Ben',
      role: 'participant',
    })
    await ben.waitForEvent({ callback: 'onParticipantMediaChanged', participant: 'Fay' })
    const fayOnBen = ben.page.locator('[data-testid=tile][data-local=false]', { hasText: 'Fay' })
    const fayOwn = fay.page.locator('[data-testid=tile][data-local=true]')
    for (const tile of [fayOnBen, fayOwn]) {
      await tile.locator('video').waitFor({ state: 'attached' })
      expect(await tile.locator('[data-testid=video-waiting]').isVisible()).toBe(true)
      expect(await tile.locator('[data-testid=video-waiting]').textContent()).toContain('FWaiting for video')
    }
    await ben.page.screenshot({ path: `${resultsDir}video-waiting.png` })
    // Ben's own camera sends frames: his tile on Fay's page plays, with no placeholder.
    await fay.waitForLiveRemoteVideos(1)
    expect(
      await fay.page.locator('[data-testid=tile][data-local=false] [data-testid=video-waiting]').count(),
    ).toBe(0)

    await fay.page.evaluate(() => (globalThis as unknown as { __startFrames: () => void }).__startFrames())
    for (const tile of [fayOnBen, fayOwn]) {
      await expect
        .poll(() => tile.locator('[data-testid=video-waiting]').count(), { timeout: 20_000 })
        .toBe(0)
      expect(await tile.locator('video').evaluate((v: HTMLVideoElement) => v.videoWidth)).toBe(320)
    }
    for (const page of [fay, ben]) await page.page.context().close()
  })
})
