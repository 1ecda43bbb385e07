import { describe, expect, it } from 'vitest'
import { tapTransport, type WireMessage } from '../src/index.js'
import { useFakeClock } from './support/timers.js'
import { createWorld } from './support/world.js'

// A goodbye nobody confirms is resent with a doubling wait (0.25, 0.5, 1 s, then every second), not
// every 250 ms for the whole leaveTimeoutMs: a host once sent 72 ENDs in one End. The first resend
// stays quick, since most losses are a single packet. Time is simulated.
useFakeClock()

type Kind = WireMessage['type']

/** Alice (host) and Bob, with the times (ms after `mark()`) at which Alice sent each kind of message. */
async function aliceAndBob() {
  const world = createWorld()
  const sentAt = new Map<Kind, number[]>()
  let markedAt = 0
  const transport = tapTransport(world.network.transport(), {
    send(message) {
      const times = sentAt.get(message.type) ?? []
      times.push(Date.now() - markedAt)
      sentAt.set(message.type, times)
    },
  })
  const alice = world.person('alice', 'host', { transport })
  const bob = world.person('bob')
  await world.joinAll(alice, bob)
  const mark = () => {
    markedAt = Date.now()
    sentAt.clear()
  }
  return { world, alice, bob, mark, sent: (kind: Kind) => sentAt.get(kind) ?? [] }
}

const gaps = (times: readonly number[]) => times.slice(1).map((t, i) => t - (times[i] as number))

describe('an unconfirmed goodbye is resent with a doubling wait, capped at 1 s', () => {
  it.each([
    ['END', 'end', (m: { end(): Promise<void> }) => m.end()],
    ['LEAVE', 'leave', (m: { leave(): Promise<void> }) => m.leave()],
  ] as const)(
    '%s to a peer cut off for good: 12 copies in leaveTimeoutMs (10 s), then none',
    async (_label, kind, act) => {
      const { world, alice, mark, sent } = await aliceAndBob()
      world.network.partition(['alice'], ['bob'])
      mark()
      await act(alice.meeting)
      await world.advance(20_000)
      // Every 250 ms this was 40 copies; the doubling wait leaves 12 (0, 0.25, 0.75, 1.75, ..., 9.75 s).
      expect(sent(kind)).toEqual([0, 250, 750, 1750, 2750, 3750, 4750, 5750, 6750, 7750, 8750, 9750])
      expect(Math.max(...gaps(sent(kind)))).toBeLessThanOrEqual(1000)
      expect(alice.meeting.actor.getSnapshot().value).toBe('ended')
    },
  )

  it('a single lost END is made up for by the first resend, 250 ms after it', async () => {
    const { world, alice, bob, mark, sent } = await aliceAndBob()
    world.network.partition(['alice'], ['bob'])
    mark()
    await alice.meeting.end()
    await world.advance(100) // the first copy is lost
    world.network.heal()
    expect(bob.told).not.toContain('meeting-left:ended')
    await world.advance(160)
    expect(sent('end')).toEqual([0, 250])
    expect(bob.told.filter((line) => line.startsWith('meeting-left'))).toEqual(['meeting-left:ended'])
    // Bob's ACK came back: nothing more is resent, and Alice's session is over.
    await world.advance(2000)
    expect(sent('end')).toEqual([0, 250])
    expect(alice.meeting.actor.getSnapshot().value).toBe('ended')
    expect(bob.told.filter((line) => line.startsWith('participant-left'))).toEqual([])
  })
})
