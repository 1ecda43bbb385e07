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
  /** Each data connection's `getStats()`, every second while it is not closed (`LINK_STATS_PAGE`). */
  links: LinkSample[]
  /** The page's PeerServer socket: what it sent and received, and when it opened and closed. */
  signalling: SignallingSeen[]
  /** Each RTCPeerConnection's life: created, its `connectionState`s, its data channels opening and closing. */
  connections: ConnectionSeen[]
}

/**
 * One event of the PeerServer socket: [at, direction (`out`, `in`, or `socket` for open/close), type
 * (a PeerJS or Convene message type, or `open` / `close`), the other peer id (`dst` out, `src` in) or
 * the close code, and the type's detail: an offer's or answer's connection id (the data channel's label,
 * so a link's `getStats()` can be named), a presence list's peer ids joined with spaces]. Heartbeats
 * and ICE candidates are not kept.
 */
export type SignallingSeen = [number, string, string, string, string]

/**
 * One event of a peer connection: [at, the page's number for it (in creation order), `created`, a
 * `connectionState`, or `open <label>` / `close <label>` of a data channel].
 */
export type ConnectionSeen = [number, number, string]

/**
 * One data connection's counters at `at`, by its PeerJS channel's label (`dc_…`, the same at both
 * ends): [at, label, connectionState, data-channel messages sent, received (all its channels), the
 * DTLS transport's packets sent, received, the selected candidate pair's consent requests sent and
 * responses received]. Messages sent while the transport's packets stand still: SCTP is not sending
 * (its retransmission timer backing off); packets leaving at one end and not arriving at the other:
 * lost on the way.
 */
export type LinkSample = [number, string, string, number, number, number, number, number, number]

/**
 * Runs in each page before the app. A 50 ms interval notes each time it ran more than 300 ms late (the
 * main thread was busy or starved); every JSON message sent or received on an RTCDataChannel is noted
 * by session and seq, once. Plain JavaScript in a string: a function would be compiled with esbuild's
 * keepNames, whose `__name` helper does not exist in the page.
 */
export const TRACE_PAGE = `(() => {
  const trace = { stalls: [], sent: [], received: [], names: {}, links: [], signalling: [], connections: [] }
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
  const numbers = new WeakMap()
  const life = (pc, what) => trace.connections.push([Date.now(), numbers.get(pc) ?? -1, what])
  const listen = (pc, channel) => {
    channel.addEventListener('message', (event) => note(trace.received, 'in', event.data))
    channel.addEventListener('open', () => life(pc, 'open ' + channel.label))
    channel.addEventListener('close', () => life(pc, 'close ' + channel.label))
  }
  const create = RTCPeerConnection.prototype.createDataChannel
  RTCPeerConnection.prototype.createDataChannel = function (...args) {
    const channel = create.apply(this, args)
    listen(this, channel)
    return channel
  }
  const Original = RTCPeerConnection
  let count = 0
  globalThis.RTCPeerConnection = class extends Original {
    constructor(...args) {
      super(...args)
      numbers.set(this, count++)
      life(this, 'created')
      this.addEventListener('connectionstatechange', () => life(this, this.connectionState))
      this.addEventListener('datachannel', (event) => listen(this, event.channel))
    }
  }
  const signal = (direction, data) => {
    try {
      const m = typeof data === 'string' ? JSON.parse(data) : null
      if (!m || typeof m.type !== 'string' || m.type === 'HEARTBEAT' || m.type === 'CANDIDATE') return
      const peers = m.payload && Array.isArray(m.payload.peers) ? m.payload.peers.join(' ') : ''
      const id = m.payload && typeof m.payload.connectionId === 'string' ? m.payload.connectionId : peers
      trace.signalling.push([Date.now(), direction, m.type, String((direction === 'out' ? m.dst : m.src) ?? ''), id])
    } catch {}
  }
  const Socket = WebSocket
  globalThis.WebSocket = class extends Socket {
    constructor(...args) {
      super(...args)
      this.addEventListener('open', () => trace.signalling.push([Date.now(), 'socket', 'open', '', '']))
      this.addEventListener('close', (e) => trace.signalling.push([Date.now(), 'socket', 'close', String(e.code), '']))
      this.addEventListener('message', (e) => signal('in', e.data))
    }
    send(data) {
      signal('out', data)
      return super.send(data)
    }
  }
})()`

/**
 * Runs in each page after `TRACE_PAGE` when asked for (`BENCH_WALKTHROUGH_LINK_STATS=1`): each data
 * connection's `getStats()` every second into `links` (`LinkSample`). Not by default: a few more
 * ms of each page's main thread a second, on a machine the tabs already saturate.
 */
export const LINK_STATS_PAGE = `(() => {
  const trace = globalThis.__trace
  const pcs = new Set()
  const Original = RTCPeerConnection
  globalThis.RTCPeerConnection = class extends Original {
    constructor(...args) {
      super(...args)
      pcs.add(this)
    }
  }
  setInterval(() => {
    for (const pc of pcs) {
      if (pc.connectionState === 'closed') { pcs.delete(pc); continue }
      pc.getStats().then((stats) => {
        let label, sent = 0, received = 0, transport, pair
        stats.forEach((s) => {
          if (s.type === 'data-channel') {
            if (String(s.label).startsWith('dc_')) label = s.label
            sent += s.messagesSent || 0
            received += s.messagesReceived || 0
          } else if (s.type === 'transport') transport = s
        })
        if (!label) return
        if (transport && transport.selectedCandidatePairId) pair = stats.get(transport.selectedCandidatePairId)
        trace.links.push([Date.now(), label, pc.connectionState, sent, received,
          (transport && transport.packetsSent) || 0, (transport && transport.packetsReceived) || 0,
          (pair && pair.consentRequestsSent) || 0, (pair && pair.responsesReceived) || 0])
      }, () => {})
    }
  }, 1000)
})()`

export const readTrace = (page: Page): Promise<PageTrace> =>
  page.evaluate(() => (globalThis as unknown as { __trace: PageTrace }).__trace)

/** The stalls of `trace` that overlap [from, to], as `start+ms` relative to `t0` (s). */
export function stallsIn(trace: PageTrace, from: number, to: number, t0: number): string[] {
  return trace.stalls
    .filter(([start, ms]) => start < to && start + ms > from)
    .map(([start, ms]) => `${((start - t0) / 1000).toFixed(1)}s+${ms}`)
}
