/**
 * When a pair is dialled again, without WebRTC: fake connections and fake timers, so what is checked is
 * which dial comes after which event, not how long anything takes on this machine.
 */
import type { DataConnection } from 'peerjs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { DataLinks } from '../src/DataLinks.js'
import { STALL_MS } from '../src/handshakeStall.js'
import { HEDGE_MS } from '../src/linkPair.js'
import { FakeConnection } from './support/fakeConnection.js'

const REMOTE = 'z-remote'

function dialling() {
  const dials: FakeConnection[] = []
  const downs: string[] = []
  const links = new DataLinks(
    'a-local',
    10_000,
    { up: () => {}, down: (remote) => downs.push(remote), message: () => {} },
    (remote) => {
      const conn = new FakeConnection(remote, `dc_${dials.length}`)
      dials.push(conn)
      return conn as unknown as DataConnection
    },
  )
  return { dials, downs, links }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('a dial stuck in its handshake', () => {
  it('gets a fresh dial as soon as it is not open STALL_MS after ICE connected, long before the hedge', () => {
    expect(STALL_MS).toBeLessThan(HEDGE_MS)
    const { dials, links } = dialling()
    links.connect(REMOTE)
    expect(dials).toHaveLength(1)
    vi.advanceTimersByTime(10)
    dials[0]!.iceConnected()
    vi.advanceTimersByTime(STALL_MS - 1)
    expect(dials).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(dials).toHaveLength(2)
    // Both race: the stuck one may still finish first (its DTLS retransmission).
    expect(dials[0]!.closed).toBe(false)
    links.closeAll()
  })

  it('gets no second dial when it opens in time', () => {
    const { dials, links } = dialling()
    links.connect(REMOTE)
    dials[0]!.iceConnected()
    vi.advanceTimersByTime(STALL_MS - 1)
    dials[0]!.emit('open')
    vi.advanceTimersByTime(HEDGE_MS * 3)
    expect(dials).toHaveLength(1)
    expect(links.isUp(REMOTE)).toBe(true)
    links.closeAll()
  })

  it('is not hedged before ICE connects: ICE still checking waits for the regular hedge', () => {
    const { dials, links } = dialling()
    links.connect(REMOTE)
    vi.advanceTimersByTime(HEDGE_MS - 1)
    expect(dials).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(dials).toHaveLength(2)
    links.closeAll()
  })
})

describe('a dial that fails', () => {
  it('is redialled after the backoff (50 ms, then 100 ms), not at the next 1.5 s hedge', () => {
    const { dials, links } = dialling()
    links.connect(REMOTE)
    vi.advanceTimersByTime(5)
    dials[0]!.emit('error', new Error('DTLS handshake failed'))
    vi.advanceTimersByTime(49)
    expect(dials).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(dials).toHaveLength(2)
    dials[1]!.emit('error', new Error('DTLS handshake failed'))
    vi.advanceTimersByTime(99)
    expect(dials).toHaveLength(2)
    vi.advanceTimersByTime(1)
    expect(dials).toHaveLength(3)
    links.closeAll()
  })

  it('stops being redialled once the pair is up', () => {
    const { dials, links } = dialling()
    links.connect(REMOTE)
    dials[0]!.emit('error', new Error('refused'))
    vi.advanceTimersByTime(50)
    expect(dials).toHaveLength(2)
    dials[1]!.emit('open')
    vi.advanceTimersByTime(HEDGE_MS * 4)
    expect(dials).toHaveLength(2)
    links.closeAll()
  })
})

describe('a pair whose remote said its session is over', () => {
  it('is reported down when its link goes, and not redialled then nor when listed again', () => {
    const { dials, downs, links } = dialling()
    links.connect(REMOTE)
    dials[0]!.emit('open')
    links.forget(REMOTE)
    dials[0]!.close()
    expect(downs).toEqual([REMOTE])
    vi.advanceTimersByTime(HEDGE_MS * 4)
    links.connect(REMOTE)
    vi.advanceTimersByTime(HEDGE_MS * 4)
    expect(dials).toHaveLength(1)
    links.closeAll()
  })

  it('leaves other pairs dialled as before', () => {
    const { dials, links } = dialling()
    links.connect(REMOTE)
    dials[0]!.emit('open')
    links.forget('y-other')
    dials[0]!.close()
    vi.advanceTimersByTime(50)
    expect(dials).toHaveLength(2)
    links.closeAll()
  })
})
