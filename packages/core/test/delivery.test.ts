import { describe, expect, it } from 'vitest'
import type { Delivery, Transport } from '../src/index.js'
import { useFakeClock } from './support/timers.js'
import { createWorld } from './support/world.js'

// Core tells the transport how each message should travel, from its table of message kinds, so a
// transport with several ways to send (PeerJS: a reliable channel and an unreliable one) keeps no list
// of message types of its own.
useFakeClock()

/** Wraps a transport, recording each send as `type:delivery`. */
function recording(inner: Transport, seen: Set<string>): Transport {
  return {
    name: inner.name,
    session(options) {
      const session = inner.session(options)
      return {
        ...session,
        address: session.address,
        send(message, to, delivery?: Delivery) {
          const detail = message.type === 'ack' ? `ack(${message.ackOf})` : message.type
          seen.add(`${detail}:${delivery}`)
          session.send(message, to, delivery)
        },
      }
    },
  }
}

describe('every send carries the delivery of its kind of message', () => {
  it('hello and media ordered, heartbeat expendable, leave, end, remove and acks vital', async () => {
    const world = createWorld()
    const seen = new Set<string>()
    const transport = recording(world.network.transport(), seen)
    const alice = world.person('alice', 'host', { transport })
    const bob = world.person('bob', 'participant', { transport })
    const carol = world.person('carol', 'participant', { transport })
    const dave = world.person('dave', 'participant', { transport })
    await world.joinAll(alice, bob, carol, dave)
    await bob.meeting.toggleMic()
    await world.advance(2_000)
    await alice.meeting.removeParticipant('carol')
    await world.advance(200)
    await dave.meeting.leave()
    await world.advance(200)
    await alice.meeting.end()
    await world.advance(2_000)
    expect([...seen].sort()).toEqual([
      'ack(end):vital',
      'ack(leave):vital',
      'end:vital',
      'heartbeat:expendable',
      'hello:ordered',
      'leave:vital',
      'media:ordered',
      'remove:vital',
    ])
  })
})
