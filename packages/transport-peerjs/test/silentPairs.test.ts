/**
 * A pair that is up but hears nothing, without WebRTC: fake connections and fake timers. Seen with
 * Chromium tabs under load: a connection open at both ends carried nothing for 10-27 s while both
 * sessions stayed connected to the PeerServer, and core declared a live peer gone. While the server
 * lists the peer, the pair is dialled afresh alongside the silent connection; never when it does not.
 */
import type { DataConnection } from 'peerjs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DataLinks } from '../src/DataLinks.js'
import { MAX_OPENING, OPENED_FRAME, STALE_MS } from '../src/linkPair.js'
import { SILENT_MS } from '../src/SilentPairs.js'
import { FakeConnection } from './support/fakeConnection.js'

const LOCAL = 'a-local'
const REMOTE = 'z-remote'

/** The pair up on one connection of ours, open at both ends; `dials` are the ones made since. */
function upAndListening() {
  const told: string[] = []
  const messages: unknown[] = []
  const dials: FakeConnection[] = []
  let made = 0
  const links = new DataLinks(
    LOCAL,
    10_000,
    {
      up: (remote) => told.push(`up ${remote}`),
      down: (remote) => told.push(`down ${remote}`),
      message: (_remote, data) => messages.push(data),
    },
    (remote) => {
      made += 1
      const conn = new FakeConnection(remote, `dc_${made}`, { beatChannel: true })
      dials.push(conn)
      return conn as unknown as DataConnection
    },
  )
  links.connect(REMOTE)
  const first = dials.shift()!
  vi.advanceTimersByTime(1)
  first.emit('open')
  first.emit('data', OPENED_FRAME)
  /** The remote beats on `conn` as core does by default: every second, 4 copies 250 ms apart. */
  let beat = 0
  const beats = (conn: FakeConnection, ms: number) => {
    for (let at = 0; at < ms; at += 250) {
      if (at % 1000 === 0) beat += 1
      conn.beat!.arrive(`beat ${beat}`)
      vi.advanceTimersByTime(250)
    }
  }
  return { links, told, messages, dials, first, beats }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('a pair up but silent', () => {
  it('is dialled afresh while the server lists the peer, and the new connection takes over', () => {
    const { links, told, dials, first, beats } = upAndListening()
    links.silent.presence([REMOTE])
    beats(first, 3000)
    // `first` goes silent, still open at both ends.
    vi.advanceTimersByTime(SILENT_MS - 500)
    expect(dials).toHaveLength(0)
    vi.advanceTimersByTime(1000)
    expect(dials).toHaveLength(1)
    const fresh = dials[0]!
    fresh.emit('open')
    fresh.emit('data', OPENED_FRAME)
    beats(fresh, STALE_MS + 2000)
    // Heard again: no more dials; the silent one is dropped as stale, and the link never went down.
    expect(dials).toHaveLength(1)
    expect(first.closed).toBe(true)
    expect(fresh.closed).toBe(false)
    expect(told).toEqual([`up ${REMOTE}`])
    links.out.send('hello', REMOTE)
    expect(fresh.sent).toContain('hello')
    links.closeAll()
  })

  it('keeps the silent one if it speaks again first, and dials no more', () => {
    const { links, dials, first, beats } = upAndListening()
    links.silent.presence([REMOTE])
    vi.advanceTimersByTime(SILENT_MS + 500)
    expect(dials).toHaveLength(1)
    beats(first, SILENT_MS * 3)
    expect(dials).toHaveLength(1)
    expect(first.closed).toBe(false)
    links.closeAll()
  })

  it('is never dialled afresh when the server does not list the peer, or cannot say', () => {
    const { links, dials, told } = upAndListening()
    links.silent.presence(['someone-else'])
    vi.advanceTimersByTime(SILENT_MS * 5)
    links.silent.presence(null)
    vi.advanceTimersByTime(SILENT_MS * 5)
    expect(dials).toHaveLength(0)
    // Listed again (its socket back): dialled at the next look.
    links.silent.presence([REMOTE])
    vi.advanceTimersByTime(500)
    expect(dials).toHaveLength(1)
    expect(told).toEqual([`up ${REMOTE}`])
    links.closeAll()
  })

  it('backs off: one fresh dial per silence allowance while the silence lasts', () => {
    const { links, dials } = upAndListening()
    links.silent.presence([REMOTE])
    vi.advanceTimersByTime(SILENT_MS + 250)
    expect(dials).toHaveLength(1)
    vi.advanceTimersByTime(SILENT_MS - 500)
    expect(dials).toHaveLength(1)
    vi.advanceTimersByTime(500)
    expect(dials).toHaveLength(2)
    vi.advanceTimersByTime(SILENT_MS)
    expect(dials).toHaveLength(3)
    links.closeAll()
  })

  it('is not dialled more while the pair has MAX_OPENING connections (the other end dialling too)', () => {
    const { links, dials } = upAndListening()
    links.silent.presence([REMOTE])
    for (let i = 1; i < MAX_OPENING; i++) {
      const theirs = new FakeConnection(REMOTE, `dc_theirs_${i}`, { beatChannel: true })
      links.adopt(theirs as unknown as DataConnection, REMOTE)
    }
    // Theirs neither open nor fail until their patience (10 s).
    vi.advanceTimersByTime(SILENT_MS * 2 + 500)
    expect(dials).toHaveLength(0)
    links.closeAll()
  })

  it('stops once the peer is no longer listed', () => {
    const { links, dials } = upAndListening()
    links.silent.presence([REMOTE])
    vi.advanceTimersByTime(SILENT_MS + 500)
    expect(dials).toHaveLength(1)
    links.silent.presence([])
    vi.advanceTimersByTime(SILENT_MS * 5)
    expect(dials).toHaveLength(1)
    links.closeAll()
  })

  it('does not take its own freeze for the pair going silent', () => {
    const { links, dials, first, beats } = upAndListening()
    links.silent.presence([REMOTE])
    beats(first, 2000)
    // This end stops running for 13 s (its timers all late); the backlog arrives just after.
    vi.setSystemTime(Date.now() + 13_000)
    vi.advanceTimersByTime(500)
    beats(first, 2000)
    expect(dials).toHaveLength(0)
    links.closeAll()
  })

  it('allows a pair with a longer heartbeat interval its longer gaps, once it has seen them', () => {
    const { links, dials, first } = upAndListening()
    links.silent.presence([REMOTE])
    // Beats every 5 s (an app's heartbeatIntervalMs), 4 copies each: 4.25 s between the last copy and
    // the next beat. Until one gap was seen it may look silent; after that, never.
    const fiveSecondBeats = (count: number, from: number) => {
      for (let beat = from; beat < from + count; beat++) {
        for (let copy = 0; copy < 4; copy++) {
          first.beat!.arrive(`slow beat ${beat}`)
          vi.advanceTimersByTime(250)
        }
        vi.advanceTimersByTime(4000)
      }
    }
    fiveSecondBeats(2, 0)
    const early = dials.length
    fiveSecondBeats(8, 2)
    expect(dials).toHaveLength(early)
    links.closeAll()
  })
})
