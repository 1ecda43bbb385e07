import { describe, expect, it } from 'vitest'
import { freshMeetingId, SETTLE_MS, setupPlayground, sleep } from './support/harness.js'
import type { ParticipantPage } from './support/participantPage.js'
import { closeRoom, departuresIn, errorsIn, measureLeave, openRoom, stoppedAt } from './support/room.js'
import { recordTiming } from './support/timings.js'

// Meetings bigger than three, where relayed commands once raised false alarms and the leaver waited
// longest. Every page's onError is watched; timings are recorded, and only their order is asserted.
const pg = setupPlayground()

/** The leaver was told first, once, and nothing after; each other page was told once; tracks ended first. */
async function expectInstantLeave(leaver: ParticipantPage, others: ParticipantPage[], label: string) {
  const measured = await measureLeave(leaver, others)
  recordTiming(`${label}: Leave click -> leaver's own onMeetingLeft`, measured.leaverMeetingLeft)
  recordTiming(
    `${label}: Leave click -> last other onParticipantLeft`,
    Math.max(...measured.othersParticipantLeft),
  )
  expect(measured.leaverEntry.reason).toBe('left')
  for (const entry of measured.otherEntries) {
    expect(entry.reason).toBe('left')
    // The leaver is told before its goodbye goes out, so before anyone else (one machine, one clock).
    expect(measured.leaverEntry.at).toBeLessThanOrEqual(entry.at)
  }
  const stops = await stoppedAt(leaver)
  expect(stops.length).toBeGreaterThan(0)
  for (const at of stops) expect(at).toBeLessThanOrEqual(measured.leaverEntry.at)
  await sleep(SETTLE_MS)
  const log = await leaver.events()
  expect(log.filter((e) => e.callback === 'onMeetingLeft')).toHaveLength(1)
  expect(log.filter((e) => e.seq > measured.leaverEntry.seq).map((e) => e.callback)).toEqual([])
  for (const page of others)
    expect(await page.eventsMatching('onParticipantLeft', leaver.name)).toHaveLength(1)
  expect(await leaver.acquiredTracks()).toEqual(expect.not.arrayContaining(['live']))
}

describe('six tabs, microphone only: leave, remove and end raise no error anywhere', () => {
  it('the leaver is out first; a host removes one of five and ends for four; no onError in any tab', async () => {
    const pages = await openRoom(pg.browser, pg.playground.url, freshMeetingId(), 6, false)
    const [host, p1, p2, p3, p4, p5] = pages as [ParticipantPage, ...ParticipantPage[]] as ParticipantPage[]
    await expectInstantLeave(p5!, [host!, p1!, p2!, p3!, p4!], '6 tabs, microphone only')

    await host!.page
      .locator('[data-testid=tile][data-local=false]', { hasText: 'P4' })
      .locator('[data-testid=remove]')
      .click()
    const removed = await p4!.waitForEvent({ callback: 'onMeetingLeft' })
    expect(removed.reason).toBe('removed')
    for (const page of [host!, p1!, p2!, p3!]) {
      expect((await page.waitForEvent({ callback: 'onParticipantLeft', participant: 'P4' })).reason).toBe(
        'removed',
      )
    }
    await sleep(SETTLE_MS)
    expect(await errorsIn(pages)).toEqual([])

    const four = [host!, p1!, p2!, p3!]
    await host!.page.locator('[data-testid=end]').click()
    for (const page of four)
      expect((await page.waitForEvent({ callback: 'onMeetingLeft' })).reason).toBe('ended')
    await sleep(SETTLE_MS)
    expect(await errorsIn(pages)).toEqual([])
    for (const page of four) {
      expect(await page.eventsMatching('onMeetingLeft')).toHaveLength(1)
      // No storm of departures on End.
      expect(
        (await page.eventsMatching('onParticipantLeft')).filter(
          (e) => e.reason !== 'left' && e.reason !== 'removed',
        ),
      ).toEqual([])
      expect(await page.activeStates()).toEqual(['ended'])
    }
    await closeRoom(pages)
  })
})

describe('four tabs with cameras', () => {
  it('the leaver is out first, its camera and microphone ended by then; the host ends for three; no onError', async () => {
    const pages = await openRoom(pg.browser, pg.playground.url, freshMeetingId(), 4, true)
    const [host, p1, p2, p3] = pages as [ParticipantPage, ParticipantPage, ParticipantPage, ParticipantPage]
    // Each tab asked for the playground's small camera (4 encodes and decodes of 640 × 480 at 30 fps per
    // tab starve a 2-core machine: stops and heartbeats then wait for a core).
    for (const page of pages)
      expect(await page.acquiredVideo()).toEqual([{ width: 320, height: 240, frameRate: 15 }])
    expect(await departuresIn(pages)).toEqual([])
    await expectInstantLeave(p3, [host, p1, p2], '4 tabs with cameras')
    await host.page.locator('[data-testid=end]').click()
    for (const page of [host, p1, p2])
      expect((await page.waitForEvent({ callback: 'onMeetingLeft' })).reason).toBe('ended')
    await sleep(SETTLE_MS)
    expect(await errorsIn(pages)).toEqual([])
    await closeRoom(pages)
  })
})
