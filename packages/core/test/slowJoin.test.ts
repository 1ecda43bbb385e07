import { describe, expect, it } from 'vitest'
import { controlTransport } from './support/controlledTransport.js'
import { useFakeClock } from './support/timers.js'
import { createWorld, ids } from './support/world.js'

// A joiner the others can already see (its hello went out on a link) but whose own join takes longer
// than the departure timeout: the others see it join once, and never leave and come back.
useFakeClock()

describe('a participant seen by others but held in joining past the departure timeout', () => {
  it('is announced once and never reported gone while it joins; it joins normally after 10 s', async () => {
    const world = createWorld()
    const bob = world.person('bob', 'host')
    const carol = world.person('carol')
    await world.joinAll(bob, carol)
    const control = controlTransport(world.network.transport())
    const alice = world.person('alice', 'participant', { transport: control.transport })
    const joined = alice.meeting.join()
    await world.advance(100)
    expect(ids(bob.meeting)).toContain('alice') // her hello went out on the links that came up
    await world.advance(10_000) // 3 departure timeouts while she is still joining
    expect(alice.meeting.getSnapshot().status).toBe('joining')
    control.releaseReady()
    await world.advance(100)
    await joined
    await world.advance(10_000)
    for (const other of [bob, carol]) {
      expect(other.told.filter((e) => e.includes('alice'))).toEqual(['participant-joined:alice'])
    }
    expect(ids(alice.meeting)).toEqual(['bob', 'carol'])
  })

  it('one that never completes its join is reported gone once, after its join timeout', async () => {
    const world = createWorld()
    const bob = world.person('bob', 'host')
    await world.joinAll(bob)
    const control = controlTransport(world.network.transport())
    const alice = world.person('alice', 'participant', { transport: control.transport, joinTimeoutMs: 5000 })
    const failed = alice.meeting.join().catch((error: { code: string }) => error.code)
    await world.advance(20_000)
    expect(await failed).toBe('JOIN_TIMEOUT')
    expect(bob.told.filter((e) => e.includes('alice'))).toEqual([
      'participant-joined:alice',
      'participant-left:alice:disconnected',
    ])
  })
})
