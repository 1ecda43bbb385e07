import type { BrowserContext, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { freshMeetingId, setupPlayground } from './support/harness.js'
import { ParticipantPage } from './support/participantPage.js'

// The lobby as a newcomer uses it: several tabs of one browser, opened from the invite link,
// joined without typing anything.
const pg = setupPlayground()

type Hooked = typeof globalThis & { __convene: { events: { callback: string }[] } }
const joined = (page: Page) =>
  page.waitForFunction(
    () => (globalThis as unknown as Hooked).__convene.events.some((e) => e.callback === 'onMeetingJoined'),
    null,
    { timeout: 30_000 },
  )
const tileNames = (page: Page) => page.locator('[data-testid=tile] figcaption').allTextContents()

/** A new tab of `context` at `url`, joined with whatever the lobby offers. */
async function joinAsOffered(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage()
  await page.goto(url)
  await page.locator('[data-testid=lobby] button[type=submit]').click()
  await joined(page)
  return page
}

describe('names in the lobby', () => {
  it('three tabs of one browser, the others from the invite link, untyped names: three different names', async () => {
    const context = await pg.browser.newContext()
    const host = await joinAsOffered(context, pg.playground.url)
    const link = await host.locator('[data-testid=invite-link]').inputValue()
    const tabs = [host, await joinAsOffered(context, link), await joinAsOffered(context, link)]
    for (const tab of tabs) {
      await expect.poll(() => tileNames(tab), { timeout: 15_000 }).toHaveLength(3)
    }
    const names = await tileNames(host)
    expect(names.every((n) => /Guest [0-9a-f]{4}/.test(n))).toBe(true)
    // figcaptions may add "(you)" or a host badge: compare the guest names themselves.
    const guests = new Set(names.map((n) => n.match(/Guest [0-9a-f]{4}/)?.[0]))
    expect(guests.size).toBe(3)
    for (const tab of tabs.slice(1)) {
      expect(new Set((await tileNames(tab)).map((n) => n.match(/Guest [0-9a-f]{4}/)?.[0]))).toEqual(guests)
    }
    await context.close()
  })
})

describe('an invite lobby', () => {
  it('"New" starts a meeting of your own: a fresh id, no word of the invite, and you are its host', async () => {
    const context = await pg.browser.newContext()
    const page = await context.newPage()
    await page.goto(`${pg.playground.url}?meeting=room-invited1`)
    const lobby = page.locator('[data-testid=lobby]')
    const hint = page.locator('[data-testid=lobby-hint]')
    expect(await hint.textContent()).toContain('room-invited1')
    expect(await lobby.locator('input[name=role][value=participant]').isChecked()).toBe(true)

    await lobby.locator('button', { hasText: 'New' }).click()
    const fresh = await lobby.locator('input[name=meetingId]').inputValue()
    expect(fresh).toMatch(/^room-/)
    expect(fresh).not.toBe('room-invited1')
    expect(await hint.textContent()).not.toContain('room-invited1')
    expect(await lobby.locator('input[name=role][value=host]').isChecked()).toBe(true)
    await context.close()
  })
})

describe('after the host ended the meeting', () => {
  it('nobody can reopen it: no Rejoin, and New meeting starts a fresh meeting you host', async () => {
    const meetingId = freshMeetingId()
    const host = await ParticipantPage.open(pg.browser, pg.playground.url, {
      meetingId,
      name: 'Hedy',
      role: 'host',
    })
    await host.waitForEvent({ callback: 'onMeetingJoined' })
    const guest = await ParticipantPage.open(pg.browser, pg.playground.url, {
      meetingId,
      name: 'Gus',
      role: 'participant',
    })
    await guest.waitForEvent({ callback: 'onMeetingJoined' })
    await host.page.locator('[data-testid=end]').click()
    for (const page of [host, guest]) {
      expect((await page.waitForEvent({ callback: 'onMeetingLeft' })).reason).toBe('ended')
      const over = page.page.locator('[data-testid=meeting-over]')
      await over.waitFor()
      expect(await over.locator('button', { hasText: 'Rejoin' }).count()).toBe(0)
      expect(await over.locator('button', { hasText: 'Back to lobby' }).count()).toBe(1)
      // The token line (its "valid until") is gone with the meeting.
      expect(await page.page.locator('[data-testid=token]').count()).toBe(0)
    }

    await guest.page.locator('[data-testid=meeting-over] button', { hasText: 'New meeting' }).click()
    await expect.poll(() => guest.eventsMatching('onMeetingJoined'), { timeout: 30_000 }).toHaveLength(2)
    const fresh = new URL(guest.page.url()).searchParams.get('meeting')
    expect(fresh).not.toBe(meetingId)
    expect(await guest.page.locator('[data-testid=meeting] h2').textContent()).toContain(fresh)
    expect((await guest.granted()).role).toBe('host')
    expect(await guest.page.locator('[data-testid=participant-count]').getAttribute('data-count')).toBe('1')
    for (const page of [host, guest]) await page.page.context().close()
  })
})

describe('an invite link with a meeting id core would refuse', () => {
  it('over 128 characters: Join says why and stays in the lobby (no blank page); New clears it', async () => {
    const context = await pg.browser.newContext()
    const page = await context.newPage()
    const crashes: string[] = []
    page.on('pageerror', (error) => crashes.push(error.message))
    await page.goto(`${pg.playground.url}?meeting=${'x'.repeat(200)}`)
    await page.locator('[data-testid=lobby] button[type=submit]').click()
    const problem = page.locator('[data-testid=lobby-problem]')
    expect(await problem.textContent()).toBe(
      'A meeting id is at most 128 characters; this one has 200. Shorten it, or press New for a fresh one.',
    )
    expect(await page.locator('[data-testid=lobby]').count()).toBe(1)
    await page.locator('[data-testid=lobby] button', { hasText: 'New' }).click()
    expect(await problem.count()).toBe(0)
    await page.locator('[data-testid=lobby] button[type=submit]').click()
    await joined(page)
    expect(crashes).toEqual([])
    await context.close()
  })

  it('empty: no invite at all, a fresh id and the plain hint', async () => {
    const context = await pg.browser.newContext()
    const page = await context.newPage()
    await page.goto(`${pg.playground.url}?meeting=`)
    expect(await page.locator('[data-testid=lobby] input[name=meetingId]').inputValue()).toMatch(/^room-/)
    expect(await page.locator('[data-testid=lobby-hint]').textContent()).toMatch(/^To add a participant/)
    await context.close()
  })
})
