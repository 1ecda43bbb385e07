/**
 * A pair moving to a new connection on a lossy network, without WebRTC: fake connections and fake
 * timers. The two ends finish a handshake at different moments (at 20% loss the later one may wait
 * seconds on a retransmission), so a connection open here may not be open there yet. Seen in the
 * lossy-network test's traces: this end switched its heartbeats to the new connection and retired the
 * old one after 1 s, while the other end still listened on the old one alone (it dropped the beats
 * arriving on the new one, and its link went down with the old one): seconds of silence both ways,
 * which the departure detector reads as a crash.
 */
import type { DataConnection } from 'peerjs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DataLinks } from '../src/DataLinks.js'
import { OPENED_FRAME, patience, RETIRE_GRACE_MS } from '../src/linkPair.js'
import { FakeConnection } from './support/fakeConnection.js'

// 'a-local' < 'z-remote': our dials are the ones both ends prefer to keep.
const LOCAL = 'a-local'
const REMOTE = 'z-remote'
const CONNECT_TIMEOUT_MS = 10_000

/**
 * The link is up on the remote's dial (`old`), open at both ends, and our own dial (`fresh`), the one
 * both ends prefer, is still opening.
 */
function upOnTheirDial() {
  const told: string[] = []
  const messages: unknown[] = []
  const dials: FakeConnection[] = []
  const links = new DataLinks(
    LOCAL,
    CONNECT_TIMEOUT_MS,
    {
      up: (remote) => told.push(`up ${remote}`),
      down: (remote) => told.push(`down ${remote}`),
      message: (_remote, data) => messages.push(data),
    },
    (remote) => {
      const conn = new FakeConnection(remote, `dc_ours_${dials.length}`, { beatChannel: true })
      dials.push(conn)
      return conn as unknown as DataConnection
    },
  )
  links.connect(REMOTE)
  const fresh = dials[0]!
  const old = new FakeConnection(REMOTE, 'dc_theirs', { beatChannel: true })
  links.adopt(old as unknown as DataConnection, REMOTE)
  vi.advanceTimersByTime(1)
  old.emit('open')
  old.emit('data', OPENED_FRAME)
  expect(told).toEqual([`up ${REMOTE}`])
  return { links, told, messages, old, fresh }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('a pair moving to the connection both ends prefer', () => {
  it('keeps the old connection, and beats on it, while the new one is open here only', () => {
    const { links, told, old, fresh } = upOnTheirDial()
    fresh.emit('open')
    // Here it says so on the new connection's reliable channel, for the other end to learn.
    expect(fresh.sent).toContain(OPENED_FRAME)
    // The other end has not opened it yet: the old one stays, long past the retiring grace.
    vi.advanceTimersByTime(RETIRE_GRACE_MS * 5)
    expect(old.closed).toBe(false)
    links.out.send('beat 1', undefined, 'expendable')
    expect(old.beat!.sent).toContain('beat 1')
    // Reliable messages keep to the old one too: on the new one they would wait for its handshake.
    links.out.send('hello', REMOTE)
    expect(old.sent).toContain('hello')
    expect(fresh.sent).not.toContain('hello')
    expect(told).toEqual([`up ${REMOTE}`])
    links.closeAll()
  })

  it('retires the old connection once the other end says it has the new one open, and the link stays up', () => {
    const { links, told, old, fresh } = upOnTheirDial()
    fresh.emit('open')
    vi.advanceTimersByTime(2_000)
    fresh.emit('data', OPENED_FRAME)
    links.out.send('hello', REMOTE)
    expect(fresh.sent).toContain('hello')
    vi.advanceTimersByTime(RETIRE_GRACE_MS)
    expect(old.closed).toBe(true)
    expect(links.isUp(REMOTE)).toBe(true)
    expect(told).toEqual([`up ${REMOTE}`])
    links.closeAll()
  })

  it('retires it after the patience when the other end never says so (an older version)', () => {
    const { links, old, fresh } = upOnTheirDial()
    fresh.emit('open')
    vi.advanceTimersByTime(patience(CONNECT_TIMEOUT_MS) - 1)
    expect(old.closed).toBe(false)
    vi.advanceTimersByTime(1 + RETIRE_GRACE_MS)
    expect(old.closed).toBe(true)
    expect(links.isUp(REMOTE)).toBe(true)
    links.closeAll()
  })

  it('hears beats on the new connection before it is open here: the other end may send there already', () => {
    const { links, messages, fresh } = upOnTheirDial()
    fresh.beat!.arrive('beat 2')
    expect(messages).toEqual(['beat 2'])
    // The frame that says a connection is open is the transport's own: never handed on.
    fresh.emit('data', OPENED_FRAME)
    expect(messages).toEqual(['beat 2'])
    links.closeAll()
  })

  it('drops beats on a connection of a pair that is not up: nothing may reach core before the link does', () => {
    const messages: unknown[] = []
    const conn = new FakeConnection(REMOTE, 'dc_0', { beatChannel: true })
    const links = new DataLinks(
      LOCAL,
      CONNECT_TIMEOUT_MS,
      { up: () => {}, down: () => {}, message: (_remote, data) => messages.push(data) },
      () => conn as unknown as DataConnection,
    )
    links.connect(REMOTE)
    conn.beat!.arrive('beat 3')
    expect(messages).toEqual([])
    links.closeAll()
  })
})
