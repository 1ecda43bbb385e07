import type { Browser, Page } from 'playwright-core'

/**
 * The baseline for the leaver's camera: a page without Convene (nor PeerJS, React or Vite's client) that
 * holds the same media as a playground tab in a meeting of 4 with cameras: the fake camera and microphone
 * sent on 3 peer connections, 3 incoming videos decoded and shown, plus its own preview. Sending to
 * itself (3 loopback pairs in the page) costs the page what sending to 3 other tabs does: 3 encodes and
 * 3 decodes. Its Leave button only stops the local tracks (then closes the connections, after a task),
 * timed as the playground's leaver is: the stops are what Chromium itself takes on the machine's load.
 */
function bareMediaPage(video: boolean | MediaTrackConstraints) {
  type Bare = typeof globalThis & {
    __ready: boolean
    __leave: { clicked: number; stopped: number; insideStop: number } | null
  }
  const page = globalThis as Bare
  page.__ready = false
  page.__leave = null
  const pairs: RTCPeerConnection[] = []
  const show = (stream: MediaStream, muted: boolean) => {
    const video = document.createElement('video')
    video.autoplay = true
    video.playsInline = true
    video.muted = muted
    video.srcObject = stream
    document.body.append(video)
    void video.play().catch(() => {})
  }
  const link = async (stream: MediaStream) => {
    const from = new RTCPeerConnection()
    const to = new RTCPeerConnection()
    pairs.push(from, to)
    from.onicecandidate = (e) => e.candidate && void to.addIceCandidate(e.candidate)
    to.onicecandidate = (e) => e.candidate && void from.addIceCandidate(e.candidate)
    to.ontrack = (e) => {
      // Played with its sound, as the playground's remote tiles are.
      if (e.track.kind === 'video') show(e.streams[0] ?? new MediaStream([e.track]), false)
    }
    for (const track of stream.getTracks()) from.addTrack(track, stream)
    await from.setLocalDescription(await from.createOffer())
    await to.setRemoteDescription(from.localDescription!)
    await to.setLocalDescription(await to.createAnswer())
    await from.setRemoteDescription(to.localDescription!)
  }
  const start = async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true, video })
    show(stream, true)
    for (let i = 0; i < 3; i++) await link(stream)
    const button = document.createElement('button')
    button.dataset.testid = 'leave'
    button.textContent = 'Leave'
    button.onclick = () => {
      const clicked = Date.now()
      let insideStop = 0
      for (const track of stream.getTracks()) {
        const began = performance.now()
        track.stop()
        insideStop += performance.now() - began
      }
      page.__leave = { clicked, stopped: Date.now(), insideStop }
      setTimeout(() => {
        for (const pc of pairs) pc.close()
      }, 0)
    }
    document.body.append(button)
    page.__ready = true
  }
  document.addEventListener('DOMContentLoaded', () => {
    start().catch((error) => console.error(`bare media page: ${String(error)}`))
  })
}

/** Opens `tabs` bare media pages (each its own browser context) under `origin` (a secure one: http://127.0.0.1). */
export async function openBareTabs(
  browser: Browser,
  origin: string,
  tabs: number,
  video: boolean | MediaTrackConstraints = true,
): Promise<Page[]> {
  const pages: Page[] = []
  for (let i = 0; i < tabs; i++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    page.on('console', (m) => m.type() === 'error' && console.error(m.text()))
    page.on('pageerror', (e) => console.error(e))
    await page.route('**/__bare-media', (route) =>
      route.fulfill({
        contentType: 'text/html',
        body: '<!doctype html><title>bare media</title><body></body>',
      }),
    )
    // tsx keeps function names with a `__name` helper the page does not have.
    await page.addInitScript({
      content: `globalThis.__name = (f) => f;(${bareMediaPage.toString()})(${JSON.stringify(video)})`,
    })
    await page.goto(new URL('/__bare-media', origin).href)
    await page.waitForFunction(() => (globalThis as unknown as { __ready: boolean }).__ready, null, {
      timeout: 60_000,
    })
    await page.waitForFunction(
      () => [...document.querySelectorAll('video')].filter((v) => v.readyState >= 2).length === 4,
      null,
      { timeout: 60_000, polling: 100 },
    )
    pages.push(page)
  }
  return pages
}

/** Clicks the bare page's Leave: ms from the click to the last track stopped, and the time inside stop(). */
export async function bareLeave(page: Page): Promise<{ stopped: number; insideStop: number }> {
  await page.locator('[data-testid=leave]').click()
  const leave = (await (
    await page.waitForFunction(() => (globalThis as unknown as { __leave: unknown }).__leave)
  ).jsonValue()) as { clicked: number; stopped: number; insideStop: number }
  return { stopped: leave.stopped - leave.clicked, insideStop: Math.round(leave.insideStop * 10) / 10 }
}
