import { EventEmitter } from 'node:events'
import type { DataConnection } from 'peerjs'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type ConnectionSignal, connectionEvents } from '../src/connectionEvents.js'

// A dial's patience counts from the other end's answer, which comes through the PeerServer and was
// seen 10-21 s late in the Chromium walk-through at load 48: every dial given up 10 s after it was
// made had closed before its answer came, and the pair never linked. Fake connection, fake clock.

const PATIENCE_MS = 10_000

/** A dial (no remote description until `answer`) or an answer (described from the start). */
function fakeConnection(described: boolean) {
  const pc = Object.assign(new EventTarget(), {
    connectionState: 'new' as RTCPeerConnectionState,
    remoteDescription: described ? ({ type: 'offer', sdp: '' } as RTCSessionDescription) : null,
  })
  const conn = Object.assign(new EventEmitter(), { peer: 'remote', peerConnection: pc, closed: false })
  const close = () => {
    conn.closed = true
  }
  const answer = () => {
    pc.remoteDescription = { type: 'answer', sdp: '' } as RTCSessionDescription
    pc.dispatchEvent(new Event('signalingstatechange'))
  }
  return { conn: Object.assign(conn, { close }), answer, open: () => conn.emit('open') }
}

function watch(described: boolean) {
  const fake = fakeConnection(described)
  const seen: string[] = []
  connectionEvents(fake.conn as unknown as DataConnection, PATIENCE_MS).subscribe({
    next: (signal: ConnectionSignal) => seen.push(signal.type),
    error: () => seen.push('gave up'),
  })
  return { ...fake, seen }
}

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe("a dial's patience", () => {
  it('is not spent waiting for the answer: answered at 15 s, it opens at 22 s', () => {
    const dial = watch(false)
    vi.advanceTimersByTime(15_000)
    expect(dial.seen).toEqual([])
    dial.answer()
    vi.advanceTimersByTime(7000)
    dial.open()
    vi.advanceTimersByTime(30_000)
    expect(dial.seen).toEqual(['open'])
    expect(dial.conn.closed).toBe(false)
  })

  it('counts from the answer: answered at 15 s and not open, given up at 25 s', () => {
    const dial = watch(false)
    vi.advanceTimersByTime(15_000)
    dial.answer()
    vi.advanceTimersByTime(PATIENCE_MS - 1)
    expect(dial.seen).toEqual([])
    vi.advanceTimersByTime(1)
    expect(dial.seen).toEqual(['gave up'])
    expect(dial.conn.closed).toBe(true)
  })

  it('with no answer at all, ends after two patiences', () => {
    const dial = watch(false)
    vi.advanceTimersByTime(2 * PATIENCE_MS - 1)
    expect(dial.seen).toEqual([])
    vi.advanceTimersByTime(1)
    expect(dial.seen).toEqual(['gave up'])
  })

  it('of an answerer (the offer in from the start) is one patience, as before', () => {
    const answerer = watch(true)
    vi.advanceTimersByTime(PATIENCE_MS - 1)
    expect(answerer.seen).toEqual([])
    vi.advanceTimersByTime(1)
    expect(answerer.seen).toEqual(['gave up'])
  })
})
