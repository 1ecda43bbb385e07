import { describe, expect, it } from 'vitest'
import { freshMeetingId, SETTLE_MS, setupPlayground, sleep } from './support/harness.js'
import type { ParticipantPage } from './support/participantPage.js'
import { closeRoom, departuresIn, errorsIn, openRoom } from './support/room.js'

// A tab whose page stops running for longer than the server's 10 s allowance (its main thread starved,
// as five camera tabs on two cores did): its PeerJS pings stop, but the browser still answers the
// server's WebSocket ping frames, so it stays listed, and the room waits for it (30 s for a listed
// peer) instead of declaring it gone and taking it back seconds later.
const pg = setupPlayground()
const FROZEN_MS = 14_000

/** Pauses the page's JavaScript (timers, sockets' handlers) for `ms`, as a starved main thread would. */
async function freeze(page: ParticipantPage, ms: number): Promise<void> {
  const cdp = await page.page.context().newCDPSession(page.page)
  await cdp.send('Debugger.enable')
  await cdp.send('Debugger.pause')
  await sleep(ms)
  await cdp.send('Debugger.resume')
  await cdp.detach()
}

describe('four tabs, one frozen past the server allowance', () => {
  it('nobody is told the frozen tab left, it is told nothing either, and no onError', async () => {
    const pages = await openRoom(pg.browser, pg.playground.url, freshMeetingId(), 4, false)
    const frozen = pages[3] as ParticipantPage
    await frozen.page.evaluate(() => {
      const w = window as unknown as { __ticks: number[] }
      w.__ticks = []
      setInterval(() => w.__ticks.push(Date.now()), 100)
    })
    await freeze(frozen, FROZEN_MS)
    await sleep(SETTLE_MS)
    // It really stopped: its timers skipped most of the freeze.
    const longestGap = await frozen.page.evaluate(() => {
      const ticks = (window as unknown as { __ticks: number[] }).__ticks
      return Math.max(...ticks.slice(1).map((t, i) => t - (ticks[i] as number)))
    })
    expect(longestGap).toBeGreaterThan(FROZEN_MS - 3000)
    expect(await departuresIn(pages)).toEqual([])
    for (const page of pages) {
      expect(await page.eventsMatching('onParticipantLeft')).toEqual([])
      expect(await page.eventsMatching('onMeetingLeft')).toEqual([])
    }
    expect(await errorsIn(pages)).toEqual([])
    for (const page of pages) expect(await page.tileCount()).toBe(4)
    await closeRoom(pages)
  })
})
