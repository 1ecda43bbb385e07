import { describe, expect, it } from 'vitest'
import type { Transport } from '../src/index.js'
import { useFakeClock } from './support/timers.js'
import { createWorld, type Person } from './support/world.js'

// A starved device: its timers fire late, so whatever it sends leaves late, by a different amount each
// time (in order, as from one thread). Its peers must not declare it gone for that, and must still find
// it when it really crashes. Time is simulated; the lateness comes from a seeded generator.
useFakeClock()

function seeded(seed: number) {
  let state = seed >>> 0
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0
    return state / 2 ** 32
  }
}

/** Each send leaves 0..maxLateMs late (drawn per send), never before the previous one. */
function lateSends(inner: Transport, maxLateMs: () => number, seed: number): Transport {
  const random = seeded(seed)
  let lastDue = 0
  return {
    name: 'late',
    session(options) {
      const session = inner.session(options)
      return {
        address: session.address,
        events: session.events,
        send(message, to) {
          const due = Math.max(lastDue, Date.now() + Math.floor(random() * maxLateMs()))
          lastDue = due
          setTimeout(() => session.send(message, to), due - Date.now())
        },
        drain: () => session.drain?.() ?? Promise.resolve(),
      }
    },
  }
}

const departuresOf = (person: Person, id: string) =>
  person.told.filter((e) => e.startsWith(`participant-left:${id}`))

describe('a sender whose timers run late is not declared gone; a crashed one still is', () => {
  it('2.5 s of lateness on every send, for 5 minutes: no false departure (the fixed 3 s threshold had them)', async () => {
    const world = createWorld()
    let late = 0
    const slow = lateSends(world.network.transport(), () => late, 7)
    const alice = world.person('alice', 'host', { transport: slow })
    const bob = world.person('bob')
    const carol = world.person('carol')
    await world.joinAll(alice, bob, carol)
    // Steady for a while, then starved: the detector learns the jitter as it grows.
    await world.advance(10_000)
    for (const ms of [500, 1000, 1500, 2000, 2500]) {
      late = ms
      await world.advance(20_000)
    }
    await world.advance(200_000)
    expect(departuresOf(bob, 'alice')).toEqual([])
    expect(departuresOf(carol, 'alice')).toEqual([])

    // Crashed while starved: found within the ceiling (4 × the 3 s floor).
    const crashed = Date.now()
    world.network.crash('alice')
    let foundAfter = 0
    bob.meeting.on('participant-left', (p) => {
      if (p.id === 'alice') foundAfter = Date.now() - crashed
    })
    await world.advance(15_000)
    expect(departuresOf(bob, 'alice')).toEqual(['participant-left:alice:disconnected'])
    expect(foundAfter).toBeGreaterThan(0)
    expect(foundAfter).toBeLessThanOrEqual(12_000 + 1000)
  })

  it('a steady sender that crashes is found within the 3 s floor (plus one tick), as before', async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host')
    const bob = world.person('bob')
    await world.joinAll(alice, bob)
    await world.advance(30_000)
    const samples: number[] = []
    let crashed = 0
    bob.meeting.on('participant-left', (p) => {
      if (p.id === 'alice') samples.push(Date.now() - crashed)
    })
    await world.advance(317) // any phase between the beats
    crashed = Date.now()
    world.network.crash('alice')
    await world.advance(10_000)
    expect(samples).toHaveLength(1)
    expect(samples[0]).toBeLessThanOrEqual(3000 + 1000)
    expect(samples[0]).toBeGreaterThanOrEqual(1000)
  })
})
