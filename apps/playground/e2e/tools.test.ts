import { describe, expect, it } from 'vitest'
import { freshMeetingId, SETTLE_MS, setupPlayground, sleep } from './support/harness.js'
import { ParticipantPage } from './support/participantPage.js'

// What a host and a newcomer use besides Leave and End: Remove, Inspect, the lobby's choices.
const pg = setupPlayground()

describe('host tools', () => {
  it('a host removes a participant: they are told removed, the others see them leave as removed', async () => {
    const meetingId = freshMeetingId()
    const [host, guest, other] = await pg.joinThree(meetingId, ['Hana', 'Gus', 'Olga'])
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
  it('says clearly when the inspector cannot be reached, closes its window, switches off; the meeting runs on', async () => {
    // A port nothing listens on stands for stately.ai without internet, whatever the machine running this.
    const unreachable = 'http://127.0.0.1:9/inspect'
    type Opener = typeof globalThis & { __opened: (Window | null)[] }
    const page = await ParticipantPage.open(
      pg.browser,
      `${pg.playground.url}?inspector=${encodeURIComponent(unreachable)}`,
      { meetingId: freshMeetingId(), name: 'Ines', role: 'host' },
      // Every window the page opens, as the page itself sees it (closed or not).
      () => {
        const opener = globalThis as unknown as Opener
        opener.__opened = []
        const open = window.open.bind(window)
        window.open = (...args) => {
          const opened = open(...args)
          opener.__opened.push(opened)
          return opened
        }
      },
    )
    const windows = () =>
      page.page.evaluate(() =>
        (globalThis as unknown as Opener).__opened.map((w) => (w ? w.closed : 'blocked')),
      )
    await page.waitForEvent({ callback: 'onMeetingJoined' })
    const inspect = page.page.locator('[data-testid=inspect]')
    const toggle = inspect.locator('input')
    // Not check(): the switch may be off again before Playwright looks, which is the point.
    await toggle.click()
    await expect.poll(() => inspect.getAttribute('data-status'), { timeout: 15_000 }).toBe('unreachable')
    expect(await inspect.getByRole('alert').textContent()).toMatch(
      /Inspector cannot be reached: .*Switched off/,
    )
    // The window with the browser's error page is closed, and the switch is off, not left ticked.
    await expect.poll(windows, { timeout: 5_000 }).toEqual([true])
    expect(await toggle.isChecked()).toBe(false)
    expect(await page.activeStates()).toContain('joined')
    // Ticking again tries again, and fails the same way, cleanly.
    await toggle.click()
    await expect.poll(windows, { timeout: 15_000 }).toEqual([true, true])
    await expect.poll(() => inspect.getAttribute('data-status'), { timeout: 15_000 }).toBe('unreachable')
    expect(await toggle.isChecked()).toBe(false)
    await page.page.context().close()
  })

  it('attaches the browser inspector to the meeting actor, even when switched on mid-meeting', async () => {
    const inspectorUrl = new URL('e2e/fixtures/inspector.html', pg.playground.url).href
    const page = await ParticipantPage.open(
      pg.browser,
      `${pg.playground.url}?inspector=${encodeURIComponent(inspectorUrl)}`,
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
    const context = await pg.browser.newContext()
    const lobby = await context.newPage()
    await lobby.goto(pg.playground.url)
    const offered = await lobby.locator('[data-testid=lobby] input[name=meetingId]').inputValue()
    await lobby.locator('[data-testid=lobby] button', { hasText: 'New' }).click()
    const another = await lobby.locator('[data-testid=lobby] input[name=meetingId]').inputValue()
    expect(offered).toMatch(/^room-/)
    expect(another).toMatch(/^room-/)
    expect(another).not.toBe(offered)
    await context.close()

    const meetingId = freshMeetingId()
    const withCamera = await ParticipantPage.open(pg.browser, pg.playground.url, {
      meetingId,
      name: 'Vera',
      role: 'host',
    })
    await withCamera.waitForEvent({ callback: 'onMeetingJoined' })
    const noCamera = await ParticipantPage.open(pg.browser, pg.playground.url, {
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

describe('a session the PeerServer refuses', () => {
  it('a tab whose clock is ten minutes fast signs a stale proof: the page says AUTH_FAILED and why', async () => {
    const page = await ParticipantPage.open(
      pg.browser,
      pg.playground.url,
      { meetingId: freshMeetingId(), name: 'Tess', role: 'host' },
      () => {
        const now = Date.now
        Date.now = () => now() + 10 * 60_000
      },
    )
    // A browser never sees the 401 of a refused WebSocket upgrade; the transport finds out why.
    const refused = await page.waitForEvent({ callback: 'onError', reason: 'AUTH_FAILED' })
    expect(refused.detail).toContain('PeerServer refused the signalling connection')
    expect(refused.detail).toContain('clock')
    const over = page.page.locator('[data-testid=meeting-over]')
    await expect.poll(() => over.getAttribute('data-reason')).toBe('transport-error')
    // The token itself was granted: the id and role are shown, the refusal is the proof's.
    expect((await page.granted()).role).toBe('host')
    await page.page.context().close()
  })
})
