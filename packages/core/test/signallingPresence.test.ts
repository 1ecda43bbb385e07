import { describe, expect, it } from 'vitest'
import { signallingWorld, storedReport } from './support/signallingWorld.js'
import { useFakeClock } from './support/timers.js'
import { ids } from './support/world.js'

// The transport's `signalling-presence`: which remote sessions the signalling server sees connected.
// Checked like every transport event; kept once per session, each report replacing the last.
useFakeClock()

async function threeInTheRoom(presence: 'core' | 'transport' = 'core') {
  const world = signallingWorld(presence)
  const alice = world.person('alice', 'host')
  const bob = world.person('bob')
  const carol = world.person('carol')
  await world.joinAll(alice, bob, carol)
  return { world, alice, bob, carol }
}

describe('signalling-presence, the event', () => {
  it('is accepted and kept: each report replaces the last, null forgets it', async () => {
    const { world, alice, bob, carol } = await threeInTheRoom()
    expect(storedReport(alice)).toBeNull()
    world.report(alice, [bob, carol])
    await world.advance(10)
    expect(storedReport(alice)).toEqual([bob, carol].map((p) => p.meeting.localParticipant.sessionId).sort())
    world.report(alice, [carol])
    await world.advance(10)
    expect(storedReport(alice)).toEqual([carol.meeting.localParticipant.sessionId])
    world.report(alice, [])
    await world.advance(10)
    expect(storedReport(alice)).toEqual([])
    world.report(alice, null)
    await world.advance(10)
    expect(storedReport(alice)).toBeNull()
    expect(alice.told.filter((e) => e.startsWith('error'))).toEqual([])
    expect(ids(alice.meeting)).toEqual(['bob', 'carol'])
  })

  it('of the wrong shape is refused as malformed and changes nothing', async () => {
    const { world, alice, bob } = await threeInTheRoom()
    world.report(alice, [bob])
    await world.advance(10)
    const bad = [
      { type: 'signalling-presence' },
      { type: 'signalling-presence', connected: 'bob' },
      { type: 'signalling-presence', connected: [''] },
      { type: 'signalling-presence', connected: [42] },
      { type: 'signalling-presence', connected: { 0: 'bob' } },
    ]
    for (const event of bad) world.emit(alice, event)
    await world.advance(10)
    expect(alice.told.slice(-bad.length)).toEqual(bad.map(() => 'error:TRANSPORT_ERROR'))
    expect(storedReport(alice)).toEqual([bob.meeting.localParticipant.sessionId])
    expect(ids(alice.meeting)).toEqual(['bob', 'carol'])
    expect(alice.meeting.meetingState).toBe('CONNECTED')
  })

  it('from a transport authoritative for presence is ignored: not kept, not an error', async () => {
    const { world, alice, bob } = await threeInTheRoom('transport')
    world.report(alice, [bob])
    await world.advance(10)
    expect(storedReport(alice)).toBeNull()
    expect(alice.told.filter((e) => e.startsWith('error'))).toEqual([])
  })

  it('a new session starts with no report', async () => {
    const { world, alice, bob } = await threeInTheRoom()
    world.report(alice, [bob])
    await world.advance(10)
    await alice.meeting.leave()
    await world.joinAll(alice)
    expect(storedReport(alice)).toBeNull()
  })
})
