import { describe, expect, it } from 'vitest'
import { signallingWorld } from './support/signallingWorld.js'
import { useFakeClock } from './support/timers.js'
import type { Person } from './support/world.js'

// A leaver's goodbye also waits for the sessions the signalling server lists that it does not count
// in itself: one may still count the leaver in. Seen in the Chromium walk-through under load: a tab
// frozen for 8 s was dropped by the server, so Bob declared Phil gone; Phil came back (listed again)
// while his messages to Bob stayed stuck, and Phil still had Bob. Bob's LEAVE then went to Phil once
// (to every open link), was resent only to those Bob counted present, and once they had confirmed it,
// Bob closed: had that one copy not reached Phil, Phil told Bob `disconnected` 1.5 s after Bob's socket
// closed, not `left`. Time is simulated.
useFakeClock()

const about = (p: Person, who: string) => p.told.filter((e) => e.startsWith(`participant-left:${who}`))

async function bobLostPhil(relisted = true) {
  const world = signallingWorld()
  const alice = world.person('alice', 'host')
  const bob = world.person('bob')
  const phil = world.person('phil')
  await world.joinAll(alice, bob, phil)
  await world.advance(3000)
  world.report(alice, [bob, phil])
  world.report(bob, [alice, phil])
  world.report(phil, [alice, bob])
  // Phil's messages stop reaching Bob, and the server drops Phil's socket for a moment: Bob lets him go.
  world.mute(phil, bob)
  world.report(bob, [alice])
  await world.advance(3000)
  expect(about(bob, 'phil')).toEqual(['participant-left:phil:disconnected'])
  // Phil is back on the server, still not heard by Bob; Phil still counts Bob in.
  if (relisted) world.report(bob, [alice, phil])
  await world.advance(2000)
  expect(bob.meeting.participants.has('phil')).toBe(false)
  expect(phil.meeting.participants.has('bob')).toBe(true)
  return { world, alice, bob, phil }
}

describe('a goodbye to a session the server lists but the leaver does not count in', () => {
  it('reaches it when the first copy is lost: told left, not disconnected', async () => {
    const { world, alice, bob, phil } = await bobLostPhil()
    // The first copy of Bob's LEAVE to Phil is lost (the link between them down as Bob leaves).
    world.mute(bob, phil)
    const left = bob.meeting.leave()
    await world.advance(100)
    await left
    world.mute(bob, phil, false)
    await world.advance(12_000)
    // Bob is gone: the server no longer lists him.
    world.report(phil, [alice])
    world.report(alice, [phil])
    await world.advance(5000)
    expect(about(phil, 'bob')).toEqual(['participant-left:bob:left'])
    expect(about(alice, 'bob')).toEqual(['participant-left:bob:left'])
  })

  it('reaches it when the server lists it again only after the leave began', async () => {
    // As traced: Bob left 0.3 s before his page heard that the server listed Phil again, and the
    // others' confirmations took 3 s to come back.
    const { world, alice, bob, phil } = await bobLostPhil(false)
    world.mute(bob, phil)
    world.mute(alice, bob)
    const left = bob.meeting.leave()
    await world.advance(100)
    await left
    world.report(bob, [alice, phil])
    world.mute(bob, phil, false)
    await world.advance(3000)
    world.mute(alice, bob, false)
    await world.advance(12_000)
    world.report(phil, [alice])
    await world.advance(5000)
    expect(about(phil, 'bob')).toEqual(['participant-left:bob:left'])
  })

  it('waits no longer for a session the server stops listing', async () => {
    const { world, alice, bob, phil } = await bobLostPhil()
    world.mute(bob, phil)
    const left = bob.meeting.leave()
    await world.advance(100)
    await left
    // Alice confirms at once; Phil's socket closes: he is gone, so Bob need not wait out 10 s.
    world.report(bob, [alice])
    await world.advance(2000)
    expect(bob.meeting.actor.getSnapshot().matches('ended')).toBe(true)
  })

  it('lets the leaver go once that session confirms it', async () => {
    const { world, bob, phil } = await bobLostPhil()
    world.mute(phil, bob, false)
    world.mute(bob, phil)
    const left = bob.meeting.leave()
    await world.advance(100)
    await left
    world.mute(bob, phil, false)
    await world.advance(2000)
    expect(about(phil, 'bob')).toEqual(['participant-left:bob:left'])
    // Confirmed by Alice and Phil: Bob's session is over long before leaveTimeoutMs (10 s).
    expect(bob.meeting.actor.getSnapshot().matches('ended')).toBe(true)
  })

  it("a host's END reaches a session it lost but the server lists (a transport with no other copy of it)", async () => {
    const world = signallingWorld()
    const alice = world.person('alice', 'host')
    const bob = world.person('bob')
    await world.joinAll(alice, bob)
    await world.advance(3000)
    world.report(bob, [alice])
    world.mute(bob, alice)
    world.report(alice, [])
    await world.advance(3000)
    expect(about(alice, 'bob')).toEqual(['participant-left:bob:disconnected'])
    world.report(alice, [bob])
    // The first copy of the END to Bob is lost.
    world.mute(alice, bob)
    const ended = alice.meeting.end()
    await world.advance(100)
    await ended
    world.mute(alice, bob, false)
    await world.advance(2000)
    expect(bob.told).toContain('meeting-left:ended')
  })
})
