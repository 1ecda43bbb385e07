import { describe, expect, it, vi } from 'vitest'
import type { Transport } from '../src/index.js'
import { useFakeClock } from './support/timers.js'
import { createWorld } from './support/world.js'

// The departure detector counts silence in its own heartbeat ticks, so that an observer whose clock
// stood still (a frozen tab) declares nobody gone. Whole ticks alone undercount: a peer last heard just
// after one of our ticks was declared gone 2-3 s after it went quiet, under a 3 s floor (seen in
// Chromium for a session admitted moments before). A departure needs the floor of real silence too.
// Time is simulated.
useFakeClock()

/** Records when each message reached this session (by the fake clock). */
function arrivals(inner: Transport, heard: number[]): Transport {
  return {
    name: 'arrivals',
    session(options) {
      const session = inner.session(options)
      return {
        address: session.address,
        send: (message, to, delivery) => session.send(message, to, delivery),
        drain: () => session.drain?.() ?? Promise.resolve(),
        events: {
          subscribe(target) {
            return session.events.subscribe({
              next(event) {
                if (event.type === 'message') heard.push(Date.now())
                target.next?.(event)
              },
            })
          },
        },
      }
    },
  }
}

describe('a departure needs the departure timeout of real silence', () => {
  // The observer joins at every 100 ms of the heartbeat period: wherever the crashed peer's last
  // message lands between two of the observer's ticks, it is declared gone no sooner than 3 s after it.
  for (let offset = 0; offset < 1000; offset += 100) {
    it(`observer's ticks ${offset} ms after the peer's: gone ≥ 3 s after its last message, found then`, async () => {
      const world = createWorld()
      const heard: number[] = []
      const alice = world.person('alice', 'host')
      const bob = world.person('bob', 'participant', {
        transport: arrivals(world.network.transport(), heard),
      })
      await world.joinAll(alice)
      await world.advance(offset)
      await world.joinAll(bob)
      await world.advance(5000)
      world.network.crash('alice')
      let goneAt = 0
      bob.meeting.on('participant-left', () => {
        goneAt = Date.now()
      })
      await world.advance(6000)
      expect(bob.told.filter((e) => e.startsWith('participant-left'))).toEqual([
        'participant-left:alice:disconnected',
      ])
      const silence = goneAt - heard.at(-1)!
      expect(silence).toBeGreaterThanOrEqual(3000)
      // And no later: a sweep between ticks finds it when its allowance is over, not at the next tick.
      expect(silence).toBeLessThan(3000 + 50)
    })
  }

  it('a wall clock that jumps ahead (the observer frozen) declares nobody gone until its own ticks ran out', async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host')
    const bob = world.person('bob')
    await world.joinAll(alice, bob)
    await world.advance(5000)
    world.network.crash('alice')
    // 20 s pass for the wall clock, none for the timers: as for a tab frozen that long, which then runs
    // its overdue timers once.
    vi.setSystemTime(Date.now() + 20_000)
    await world.advance(1500)
    expect(bob.told.filter((e) => e.startsWith('participant-left'))).toEqual([])
    await world.advance(3000)
    expect(bob.told.filter((e) => e.startsWith('participant-left'))).toEqual([
      'participant-left:alice:disconnected',
    ])
  })
})
