/**
 * What a page's main thread and its data channels did, recorded in the page (one machine, one clock),
 * to explain a false departure afterwards: which side went silent, for how long, and why.
 */
import type { Page } from 'playwright-core'

/** A stretch of time the page's main thread did not run its timers: [start (Date.now()), ms]. */
export type Stall = [number, number]
/** One message seen on a data channel: who sent it (session), its type and seq, and when. */
export interface WireSeen {
  session: string
  type: string
  seq: number
  at: number
}

export interface PageTrace {
  stalls: Stall[]
  /** Each message this page sent, once (copies of a beat and the same message on two channels dropped). */
  sent: WireSeen[]
  /** Each message this page received, once. */
  received: WireSeen[]
  /** Session id → the participant's name, from the hellos the page sent and received. */
  names: Record<string, string>
}

/**
 * Runs in each page before the app. A 50 ms interval notes each time it ran more than 300 ms late (the
 * main thread was busy or starved); every JSON message sent or received on an RTCDataChannel is noted
 * by session and seq, once. Plain JavaScript in a string: a function would be compiled with esbuild's
 * keepNames, whose `__name` helper does not exist in the page.
 */
export const TRACE_PAGE = `(() => {
  const trace = { stalls: [], sent: [], received: [], names: {} }
  globalThis.__trace = trace
  let last = Date.now()
  setInterval(() => {
    const now = Date.now()
    if (now - last > 350) trace.stalls.push([last + 50, now - last - 50])
    last = now
  }, 50)
  const seen = new Set()
  const note = (into, direction, data) => {
    if (typeof data !== 'string' || !data.startsWith('{')) return
    try {
      const message = JSON.parse(data)
      if (typeof message.session !== 'string' || typeof message.seq !== 'number') return
      if (message.type === 'hello' && message.participant && message.participant.name)
        trace.names[message.session] = message.participant.name
      const key = direction + ':' + message.session + ':' + message.seq
      if (seen.has(key)) return
      seen.add(key)
      into.push({ session: message.session, type: String(message.type), seq: message.seq, at: Date.now() })
    } catch {}
  }
  const send = RTCDataChannel.prototype.send
  RTCDataChannel.prototype.send = function (data) {
    note(trace.sent, 'out', data)
    return send.call(this, data)
  }
  const listen = (channel) => channel.addEventListener('message', (event) => note(trace.received, 'in', event.data))
  const create = RTCPeerConnection.prototype.createDataChannel
  RTCPeerConnection.prototype.createDataChannel = function (...args) {
    const channel = create.apply(this, args)
    listen(channel)
    return channel
  }
  const Original = RTCPeerConnection
  globalThis.RTCPeerConnection = class extends Original {
    constructor(...args) {
      super(...args)
      this.addEventListener('datachannel', (event) => listen(event.channel))
    }
  }
})()`

export const readTrace = (page: Page): Promise<PageTrace> =>
  page.evaluate(() => (globalThis as unknown as { __trace: PageTrace }).__trace)

/** The stalls of `trace` that overlap [from, to], as `start+ms` relative to `t0` (s). */
export function stallsIn(trace: PageTrace, from: number, to: number, t0: number): string[] {
  return trace.stalls
    .filter(([start, ms]) => start < to && start + ms > from)
    .map(([start, ms]) => `${((start - t0) / 1000).toFixed(1)}s+${ms}`)
}
