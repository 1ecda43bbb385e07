/**
 * A connection closed at the other end without this end hearing of it, without WebRTC: fake
 * connections and fake timers. Closing tells the other end in one packet, which a lossy network may
 * lose; then this end kept the connection for 13-23 s, until its own ICE or SCTP timers gave up (seen
 * in the lossy-network traces at 30% loss). When it was the connection this end keeps, it sent there
 * into nothing and retired the other end's new dial, the only connection the other end had: a live
 * peer declared gone both ways, again and again while it lasted.
 */
import type { DataConnection } from 'peerjs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DataLinks } from '../src/DataLinks.js'
import { OPENED_FRAME, RETIRE_GRACE_MS, STALE_MS } from '../src/linkPair.js'
import { FakeConnection } from './support/fakeConnection.js'

// 'a-remote' < 'z-local': the remote's dials are the ones both ends prefer to keep.
const LOCAL = 'z-local'
const REMOTE = 'a-remote'

function linked() {
  const told: string[] = []
  const links = new DataLinks(
    LOCAL,
    10_000,
    {
      up: (remote) => told.push(`up ${remote}`),
      down: (remote) => told.push(`down ${remote}`),
      message: () => {},
    },
    () => undefined,
  )
  /** The remote dials us; its connection opens at both ends. */
  const dialled = (id: string) => {
    const conn = new FakeConnection(REMOTE, id, { beatChannel: true })
    links.adopt(conn as unknown as DataConnection, REMOTE)
    vi.advanceTimersByTime(1)
    conn.emit('open')
    conn.emit('data', OPENED_FRAME)
    return conn
  }
  /** The remote beats on `conn` every 250 ms for `ms`, as it does on each connection it has open. */
  const beats = (conn: FakeConnection, ms: number) => {
    for (let at = 0; at < ms; at += 250) {
      conn.beat!.arrive(`beat ${Date.now()}`)
      vi.advanceTimersByTime(250)
    }
  }
  return { links, told, dialled, beats }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('a connection the other end closed without a word', () => {
  it('is dropped once the other end speaks on a new one, which is kept: the link never goes down', () => {
    const { links, told, dialled, beats } = linked()
    const old = dialled('dc_1_old')
    beats(old, 2000)
    // The remote closes `old`; its close never arrives. A second later it dials again, on a
    // connection whose id sorts after the old one's (which both ends would otherwise keep).
    vi.advanceTimersByTime(1000)
    const fresh = dialled('dc_2_new')
    beats(fresh, RETIRE_GRACE_MS + STALE_MS + 2000)
    expect(fresh.closed).toBe(false)
    expect(old.closed).toBe(true)
    expect(told).toEqual([`up ${REMOTE}`])
    links.out.send('hello', REMOTE)
    expect(fresh.sent).toContain('hello')
    links.closeAll()
  })

  it('is kept while it still carries data, however long a newer one has been open too', () => {
    const { links, dialled, beats } = linked()
    const old = dialled('dc_1_old')
    const fresh = dialled('dc_2_new')
    for (let i = 0; i < 40; i++) {
      old.beat!.arrive(`old ${i}`)
      beats(fresh, 250)
    }
    // Both carry data: the one both ends keep stays (the lower id), the other is retired as usual.
    expect(old.closed).toBe(false)
    expect(fresh.closed).toBe(true)
    links.closeAll()
  })

  it('a retiring connection waits while the one kept is silent, and closes once that one speaks', () => {
    const { links, dialled, beats } = linked()
    const old = dialled('dc_1_old')
    const fresh = dialled('dc_2_new')
    // The kept one (`old`) is silent a while: `fresh`, retiring, may be all the other end has.
    beats(fresh, RETIRE_GRACE_MS * 2)
    expect(fresh.closed).toBe(false)
    old.beat!.arrive('old speaks')
    vi.advanceTimersByTime(RETIRE_GRACE_MS)
    expect(fresh.closed).toBe(true)
    expect(old.closed).toBe(false)
    links.closeAll()
  })

  it('a duplicate of a pair with nothing to say closes after the grace, though the one kept is silent too', () => {
    const { links, dialled } = linked()
    const old = dialled('dc_1_old')
    vi.advanceTimersByTime(500)
    const fresh = dialled('dc_2_new')
    // Neither carries anything after its opening frame (a session that sends no heartbeats): no sign
    // that the one kept is closed at the other end, so nothing to wait for.
    vi.advanceTimersByTime(RETIRE_GRACE_MS * 3)
    expect(fresh.closed).toBe(true)
    expect(old.closed).toBe(false)
    links.closeAll()
  })

  it('a connection is not taken for closed because this end was frozen and one backlog came in first', () => {
    const { links, dialled, beats } = linked()
    const old = dialled('dc_1_old')
    const fresh = dialled('dc_2_new')
    old.beat!.arrive('old 0')
    fresh.beat!.arrive('fresh 0')
    // Frozen 13 s, then what queued up meanwhile arrives: all of one connection's first.
    vi.advanceTimersByTime(13_000)
    for (let i = 1; i <= 50; i++) fresh.beat!.arrive(`fresh ${i}`)
    for (let i = 1; i <= 50; i++) old.beat!.arrive(`old ${i}`)
    beats(fresh, 250)
    expect(old.closed).toBe(false)
    links.closeAll()
  })
})
