/**
 * The bookkeeping of one pair's connections, without WebRTC: with parallel dials a pair may hold
 * several connections by the same initiator, and both ends must settle on the same one.
 */
import type { DataConnection } from 'peerjs'
import { describe, expect, it } from 'vitest'
import { keeper, losers, opening, pick, type Tracked, track } from '../src/linkPair.js'

/** A connection open here or not; one open here is open at the other end too unless `confirmed` says not. */
function conn(connectionId: string, initiator: string, open: boolean, confirmed = open): Tracked {
  const tracked = track({ connectionId, peer: 'remote' } as DataConnection, initiator, 1)
  tracked.open = open
  tracked.confirmed = confirmed
  return tracked
}

describe('one pair, several dials', () => {
  it('keeps the preferred initiator’s open connection with the lowest id, whatever order they opened in', () => {
    const a = conn('dc_b', 'low', true)
    const b = conn('dc_a', 'low', true)
    const c = conn('dc_0', 'high', true)
    const d = conn('dc_c', 'low', false)
    // The same set seen from either end, in either order.
    for (const pair of [
      [a, b, c, d],
      [d, c, b, a],
    ]) {
      expect(keeper(pair, 'low')).toBe(b)
      expect(pick(pair, 'low')).toBe(b)
      // d, still opening here, is left to open (then retired) or fail: it may be open at the other end.
      const retire = losers(pair, 'low')
      expect(retire.sort((x, y) => x.conn.connectionId.localeCompare(y.conn.connectionId))).toEqual([c, a])
    }
  })

  it('until the preferred initiator’s opens, any open one carries the link and nothing is closed', () => {
    const theirs = conn('dc_1', 'high', true)
    const ours = [conn('dc_2', 'low', false), conn('dc_3', 'low', false)]
    const pair = [...ours, theirs]
    expect(keeper(pair, 'low')).toBeUndefined()
    expect(pick(pair, 'low')).toBe(theirs)
    expect(losers(pair, 'low')).toEqual([])
    expect(opening(pair, 'low')).toBe(2)
    expect(opening(pair, 'high')).toBe(0)
  })

  it('closes no dial still opening here: the other end may have it open, even as its keeper', () => {
    // Two dials by `low`: here dc_2 opened first and dc_1 is still opening; at the other end dc_1 may
    // be open already. Closing dc_1 here would take that end's link down once dc_1 is all it has.
    const lower = conn('dc_1', 'low', false)
    const kept = conn('dc_2', 'low', true)
    const higher = conn('dc_3', 'low', false)
    const pair = [lower, kept, higher]
    expect(keeper(pair, 'low')).toBe(kept)
    expect(losers(pair, 'low')).toEqual([])
    // Once dc_1 opens here too, both ends keep it and retire dc_2; dc_3 is retired when it opens.
    lower.open = true
    lower.confirmed = true
    expect(keeper(pair, 'low')).toBe(lower)
    expect(losers(pair, 'low')).toEqual([kept])
    higher.open = true
    higher.confirmed = true
    expect(losers(pair, 'low')).toEqual([kept, higher])
  })

  it('settles on no keeper open here alone: the old one carries the link until the other end has the new one', () => {
    // dc_1 (the preferred initiator's) just opened here; the other end still waits on a handshake
    // packet for it and listens on dc_0 alone. Sending there, or retiring dc_0, would silence the pair.
    const old = conn('dc_0', 'high', true)
    const fresh = conn('dc_1', 'low', true, false)
    const pair = [old, fresh]
    expect(keeper(pair, 'low')).toBeUndefined()
    expect(pick(pair, 'low')).toBe(old)
    expect(losers(pair, 'low')).toEqual([])
    // The other end says it has dc_1 open: both ends keep it, and dc_0 is retired.
    fresh.confirmed = true
    expect(keeper(pair, 'low')).toBe(fresh)
    expect(pick(pair, 'low')).toBe(fresh)
    expect(losers(pair, 'low')).toEqual([old])
  })

  it('sends on one open at both ends before one open here alone, and on one retiring only if nothing else is open', () => {
    const halfOpen = conn('dc_1', 'high', true, false)
    const retiring = conn('dc_2', 'high', true)
    retiring.retiring = true
    expect(pick([halfOpen, retiring], 'low')).toBe(retiring)
    const both = conn('dc_3', 'high', true)
    expect(pick([halfOpen, retiring, both], 'low')).toBe(both)
    expect(pick([halfOpen], 'low')).toBe(halfOpen)
  })
})
