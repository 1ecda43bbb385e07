import { describe, expect, it, vi } from 'vitest'
import { createMemoryNetwork, MeetingError, type MemoryNetwork, type TransportEvent } from '../src/index.js'
import { heartbeat, type OpenedSession, openSession } from './support/sessions.js'
import { advance, settle, useFakeClock } from './support/timers.js'

const types = (session: OpenedSession) => session.events.map((event) => event.type)

function threeInRoom(network: MemoryNetwork, meetingId = 'm') {
  return ['a', 'b', 'c'].map((id) => openSession(network, meetingId, id, { sessionId: id }))
}

describe('createMemoryNetwork: rooms and links', () => {
  useFakeClock()

  it('keeps meetings isolated from each other', async () => {
    const network = createMemoryNetwork()
    const a = openSession(network, 'm1', 'alice', { sessionId: 'a' })
    const b = openSession(network, 'm1', 'bob', { sessionId: 'b' })
    const c = openSession(network, 'm2', 'carol', { sessionId: 'c' })
    await settle()
    a.beat(1)
    await settle()
    expect(b.received()).toEqual([['a', 1]])
    expect(c.events).toEqual([{ type: 'ready', peers: [] }])
    // Even a unicast naming a session of another meeting does not cross over.
    c.beat(2, 'a')
    await settle()
    expect(a.received()).toEqual([])
    expect(network.sessions('m2').map((s) => s.sessionId)).toEqual(['c'])
  })

  it('tells a newcomer ready (with the peers already in) and then link-up, and tells every peer link-up', async () => {
    const network = createMemoryNetwork()
    const [a, b] = threeInRoom(network).slice(0, 2) as [OpenedSession, OpenedSession]
    // Nothing is delivered synchronously, not even ready.
    expect(a.events).toEqual([])
    await settle()
    const d = openSession(network, 'm', 'd', { sessionId: 'd' })
    await settle()
    expect(d.events).toEqual([
      { type: 'ready', peers: ['a', 'b', 'c'] },
      { type: 'link-up', linkId: 'a' },
      { type: 'link-up', linkId: 'b' },
      { type: 'link-up', linkId: 'c' },
    ])
    expect(a.events).toEqual([
      { type: 'ready', peers: [] },
      { type: 'link-up', linkId: 'b' },
      { type: 'link-up', linkId: 'c' },
      { type: 'link-up', linkId: 'd' },
    ])
    expect(b.events.at(-1)).toEqual({ type: 'link-up', linkId: 'd' })
  })

  it('broadcasts to every linked session and unicasts to one, with the sender as link id', async () => {
    const network = createMemoryNetwork()
    const [a, b, c] = threeInRoom(network) as [OpenedSession, OpenedSession, OpenedSession]
    await settle()
    a.beat(1, 'b')
    a.beat(2)
    await settle()
    expect(b.received()).toEqual([
      ['a', 1],
      ['a', 2],
    ])
    expect(c.received()).toEqual([['a', 2]])
    expect(a.received()).toEqual([])
    expect(() => a.beat(3, 'nobody')).not.toThrow()
    await settle()
    expect(network.stats).toEqual({ sent: 4, delivered: 3, dropped: 1, duplicated: 0 })
  })

  it('delivers a JSON copy: later mutation of the sent object, or of a received one, changes nothing', async () => {
    const network = createMemoryNetwork()
    const [a, b, c] = threeInRoom(network) as [OpenedSession, OpenedSession, OpenedSession]
    await settle()
    const message = heartbeat('a', 1)
    a.session.send(message)
    message.seq = 99
    await settle()
    const atB = b.events.at(-1) as Extract<TransportEvent, { type: 'message' }>
    const atC = c.events.at(-1) as Extract<TransportEvent, { type: 'message' }>
    expect(atB.data).toEqual(heartbeat('a', 1))
    expect(atB.data).not.toBe(message)
    expect(atB.data).not.toBe(atC.data)
  })

  it('on unsubscribe tells the others link-down, and the closed session hears nothing more', async () => {
    const network = createMemoryNetwork()
    const [a, b, c] = threeInRoom(network) as [OpenedSession, OpenedSession, OpenedSession]
    await settle()
    const seenByB = b.events.length
    b.close()
    b.close()
    a.beat(1)
    b.beat(2)
    await settle()
    expect(a.events.at(-1)).toEqual({ type: 'link-down', linkId: 'b' })
    expect(c.events.slice(-2)).toMatchObject([
      { type: 'link-down', linkId: 'b' },
      { type: 'message', linkId: 'a' },
    ])
    expect(b.events).toHaveLength(seenByB)
    expect(network.sessions().find((s) => s.sessionId === 'b')?.state).toBe('closed')
  })

  it('delivers what a closing session had in flight before its link-down', async () => {
    const network = createMemoryNetwork({ faults: { delayMs: [10, 50] } })
    const a = openSession(network, 'm', 'a', { sessionId: 'a' })
    const b = openSession(network, 'm', 'b', { sessionId: 'b' })
    await settle()
    for (let seq = 0; seq < 5; seq++) a.beat(seq)
    a.close()
    await settle()
    expect(types(b).slice(-6)).toEqual(['message', 'message', 'message', 'message', 'message', 'link-down'])
    expect(b.received().map(([, seq]) => seq)).toEqual([0, 1, 2, 3, 4])
  })

  it('refuses a second session under a session id already used, with a fatal error', async () => {
    const network = createMemoryNetwork()
    const a = openSession(network, 'm', 'a', { sessionId: 'same' })
    const impostor = openSession(network, 'm', 'x', { sessionId: 'same' })
    const b = openSession(network, 'm', 'b', { sessionId: 'b' })
    await settle()
    const [event] = impostor.events
    expect(event).toMatchObject({ type: 'error', fatal: true })
    expect((event as { error: MeetingError }).error).toMatchObject({ code: 'INVALID_OPTION' })
    impostor.beat(1)
    await settle()
    expect(b.received()).toEqual([])
    expect(a.events).toEqual([
      { type: 'ready', peers: [] },
      { type: 'link-up', linkId: 'b' },
    ])
    expect(network.sessions().map((s) => s.participantId)).toEqual(['a', 'b'])
  })

  it('keeps delivering to other observers when one throws, and reports the error', async () => {
    const onObserverError = vi.fn()
    const network = createMemoryNetwork({ onObserverError })
    openSession(network, 'm', 'a', {
      sessionId: 'a',
      onEvent: () => {
        throw new Error('observer bug')
      },
    })
    const b = openSession(network, 'm', 'b', { sessionId: 'b' })
    const c = openSession(network, 'm', 'c', { sessionId: 'c' })
    await settle()
    c.beat(1)
    await settle()
    expect(b.received()).toEqual([['c', 1]])
    expect(onObserverError).toHaveBeenCalledWith(new Error('observer bug'), { sessionId: 'a' })
  })
})

describe('createMemoryNetwork: failures', () => {
  useFakeClock()

  it('crash: the session vanishes silently, and its sends and the sends to it are dropped', async () => {
    const network = createMemoryNetwork()
    const [a, b] = threeInRoom(network) as [OpenedSession, OpenedSession]
    await settle()
    const seenByA = a.events.length
    const seenByB = b.events.length
    expect(network.crash('b')).toBe(1)
    const before = network.stats
    a.beat(1, 'b')
    b.beat(2)
    b.beat(3, 'a')
    await advance(60_000)
    expect(a.events).toHaveLength(seenByA)
    expect(b.events).toHaveLength(seenByB)
    expect(network.stats.dropped - before.dropped).toBe(2)
    expect(network.sessions().find((s) => s.sessionId === 'b')?.state).toBe('crashed')
    expect(network.crash('b')).toBe(0)
  })

  it('crash with crashLinkDownAfterMs: peers get link-down after exactly that delay', async () => {
    const network = createMemoryNetwork({ crashLinkDownAfterMs: 5000 })
    const [a, , c] = threeInRoom(network) as [OpenedSession, OpenedSession, OpenedSession]
    await settle()
    network.crash('b')
    await advance(4999)
    expect(a.events.some((e) => e.type === 'link-down')).toBe(false)
    await advance(1)
    expect(a.events.at(-1)).toEqual({ type: 'link-down', linkId: 'b' })
    expect(c.events.at(-1)).toEqual({ type: 'link-down', linkId: 'b' })
  })

  it('terminate: terminating arrives synchronously, and a goodbye sent inside it is delivered', async () => {
    const network = createMemoryNetwork({ faults: { delayMs: 30 } })
    const a = openSession(network, 'm', 'a', { sessionId: 'a' })
    const b = openSession(network, 'm', 'b', {
      sessionId: 'b',
      onEvent: (event, session) => {
        if (event.type === 'terminating') session.send({ v: 1, type: 'leave', session: 'b', seq: 7 })
      },
    })
    await settle()
    expect(network.terminate('b')).toBe(1)
    expect(b.events.at(-1)).toEqual({ type: 'terminating' })
    await settle()
    expect(a.received()).toEqual([['b', 7]])
    expect(types(a)).not.toContain('link-down')
    expect(network.sessions().find((s) => s.sessionId === 'b')?.state).toBe('crashed')
  })

  it('disconnect: only the participant hears of it; traffic both ways is lost, including in flight', async () => {
    const network = createMemoryNetwork({ faults: { delayMs: 20 } })
    const [a, b] = threeInRoom(network) as [OpenedSession, OpenedSession]
    await settle()
    const seenByA = a.events.length
    a.beat(1, 'b')
    expect(network.disconnect('b')).toBe(1)
    a.beat(2, 'b')
    b.beat(3)
    await settle()
    expect(b.events.at(-1)).toEqual({ type: 'disconnected' })
    expect(b.received()).toEqual([])
    expect(a.events).toHaveLength(seenByA)
    expect(network.sessions().find((s) => s.sessionId === 'b')?.state).toBe('disconnected')
    expect(network.disconnect('b')).toBe(0)
  })

  it('reconnect: reconnected, then link-up both ways, and traffic flows again', async () => {
    const network = createMemoryNetwork()
    const [a, b, c] = threeInRoom(network) as [OpenedSession, OpenedSession, OpenedSession]
    await settle()
    network.disconnect('b')
    await settle()
    const seenByA = a.events.length
    const seenByB = b.events.length
    expect(network.reconnect('b')).toBe(1)
    expect(network.reconnect('b')).toBe(0)
    await settle()
    expect(b.events.slice(seenByB)).toEqual([
      { type: 'reconnected' },
      { type: 'link-up', linkId: 'a' },
      { type: 'link-up', linkId: 'c' },
    ])
    expect(a.events.slice(seenByA)).toEqual([{ type: 'link-up', linkId: 'b' }])
    expect(c.events.at(-1)).toEqual({ type: 'link-up', linkId: 'b' })
    b.beat(1)
    await settle()
    expect(a.received()).toEqual([['b', 1]])
  })

  it('a message in flight across a disconnect is lost, even when the session is back before it lands', async () => {
    const network = createMemoryNetwork({ faults: { delayMs: 20 } })
    const [a, b] = threeInRoom(network) as [OpenedSession, OpenedSession]
    await settle()
    a.beat(1, 'b')
    b.beat(2, 'a')
    network.disconnect('b')
    await advance(5)
    network.reconnect('b')
    await settle()
    expect(b.received()).toEqual([])
    expect(a.received()).toEqual([])
    a.beat(3, 'b')
    await settle()
    expect(b.received()).toEqual([['a', 3]])
  })

  it('a session opened while its participant is offline waits silently, then gets ready when back', async () => {
    const network = createMemoryNetwork()
    const a = openSession(network, 'm', 'a', { sessionId: 'a' })
    network.disconnect('z')
    const z = openSession(network, 'm', 'z', { sessionId: 'z' })
    await settle()
    expect(z.events).toEqual([])
    expect(a.events).toEqual([{ type: 'ready', peers: [] }])
    network.reconnect('z')
    await settle()
    expect(z.events).toEqual([
      { type: 'ready', peers: ['a'] },
      { type: 'link-up', linkId: 'a' },
    ])
    expect(a.events.at(-1)).toEqual({ type: 'link-up', linkId: 'z' })
  })

  it('partition drops messages between groups both ways without link events; heal restores them', async () => {
    const network = createMemoryNetwork()
    const [a, b, c] = threeInRoom(network) as [OpenedSession, OpenedSession, OpenedSession]
    await settle()
    const seen = [a, b, c].map((s) => s.events.length)
    network.partition(['a'], ['b'])
    a.beat(1)
    b.beat(2)
    await settle()
    expect(a.received()).toEqual([])
    expect(b.received()).toEqual([])
    expect(c.received()).toEqual([
      ['a', 1],
      ['b', 2],
    ])
    expect([a, b].map((s) => s.events.length)).toEqual(seen.slice(0, 2))
    network.heal()
    a.beat(3, 'b')
    await settle()
    expect(b.received()).toEqual([['a', 3]])
  })
})

describe('createMemoryNetwork: faults', () => {
  useFakeClock()

  async function pair(network: MemoryNetwork) {
    const a = openSession(network, 'm', 'a', { sessionId: 'a' })
    const b = openSession(network, 'm', 'b', { sessionId: 'b' })
    await settle()
    return { a, b }
  }

  it('drop: 1 loses every message, and link events still flow', async () => {
    const network = createMemoryNetwork({ faults: { drop: 1 } })
    const { a, b } = await pair(network)
    for (let seq = 0; seq < 10; seq++) a.beat(seq)
    await settle()
    expect(b.received()).toEqual([])
    expect(b.events).toEqual([
      { type: 'ready', peers: ['a'] },
      { type: 'link-up', linkId: 'a' },
    ])
    expect(network.stats).toEqual({ sent: 10, delivered: 0, dropped: 10, duplicated: 0 })
  })

  it('duplicate: 1 delivers every message twice', async () => {
    const network = createMemoryNetwork()
    const { a, b } = await pair(network)
    network.setFaults({ duplicate: 1 })
    a.beat(1)
    a.beat(2)
    await settle()
    expect(b.received().map(([, seq]) => seq)).toEqual([1, 1, 2, 2])
    expect(network.stats).toEqual({ sent: 2, delivered: 4, dropped: 0, duplicated: 2 })
  })

  it('delayMs holds each message back by that long; setFaults({}) clears it', async () => {
    const network = createMemoryNetwork({ faults: { delayMs: 100 } })
    const { a, b } = await pair(network)
    a.beat(1)
    await advance(99)
    expect(b.received()).toEqual([])
    await advance(1)
    expect(b.received()).toEqual([['a', 1]])
    network.setFaults({})
    a.beat(2)
    await advance(1)
    expect(b.received()).toEqual([
      ['a', 1],
      ['a', 2],
    ])
  })

  it('keeps FIFO per link under random delays unless reorder is on', async () => {
    const order = async (reorder: boolean) => {
      const network = createMemoryNetwork({ seed: 3, faults: { delayMs: [0, 100], reorder } })
      const { a, b } = await pair(network)
      for (let seq = 0; seq < 50; seq++) {
        a.beat(seq)
        await advance(1)
      }
      await settle()
      return b.received().map(([, seq]) => seq as number)
    }
    const inOrder = Array.from({ length: 50 }, (_, i) => i)
    expect(await order(false)).toEqual(inOrder)
    const shuffled = await order(true)
    expect(shuffled).not.toEqual(inOrder)
    expect([...shuffled].sort((x, y) => x - y)).toEqual(inOrder)
  })

  it('replays the same run from the same seed, and a different one from another seed', async () => {
    const run = async (seed: number) => {
      const network = createMemoryNetwork({
        seed,
        faults: { drop: 0.3, duplicate: 0.2, delayMs: [0, 40], reorder: true },
      })
      const trace: string[] = []
      const start = Date.now()
      const sessions = ['a', 'b', 'c'].map((id) =>
        openSession(network, 'm', id, {
          sessionId: id,
          onEvent: (event) => {
            if (event.type === 'message') {
              trace.push(
                `${Date.now() - start} ${event.linkId}->${id} ${(event.data as { seq: number }).seq}`,
              )
            }
          },
        }),
      )
      await settle()
      for (let seq = 0; seq < 30; seq++) {
        sessions[seq % 3]!.beat(seq)
        await advance(seq % 4)
      }
      await settle()
      const { sent, delivered, dropped, duplicated } = network.stats
      expect(sent + duplicated).toBe(delivered + dropped)
      return trace
    }
    const first = await run(7)
    expect(first.length).toBeGreaterThan(10)
    expect(await run(7)).toEqual(first)
    expect(await run(8)).not.toEqual(first)
  })
})

describe('createMemoryNetwork: tools', () => {
  useFakeClock()

  it('inject delivers anything as-is, to a session or to every session of a participant', async () => {
    const network = createMemoryNetwork()
    const a = openSession(network, 'm', 'alice', { sessionId: 'a1' })
    const a2 = openSession(network, 'other', 'alice', { sessionId: 'a2' })
    await settle()
    const garbage = { v: 'nope', nested: [1, 2n] }
    expect(network.inject('a1', garbage)).toBe(1)
    await settle()
    expect(a.events.at(-1)).toEqual({ type: 'message', linkId: 'memory:injected', data: garbage })
    expect((a.events.at(-1) as { data: unknown }).data).toBe(garbage)
    expect(network.inject('alice', 'forged', 'bob')).toBe(2)
    await settle()
    expect(a.events.at(-1)).toEqual({ type: 'message', linkId: 'bob', data: 'forged' })
    expect(a2.events.at(-1)).toEqual({ type: 'message', linkId: 'bob', data: 'forged' })
    expect(network.stats.delivered).toBe(0)
    expect(() => network.inject('nobody', 1)).toThrowError(
      expect.objectContaining({ code: 'INVALID_OPTION' }),
    )
  })

  it('drain resolves once everything sent has been delivered or dropped', async () => {
    const network = createMemoryNetwork({ faults: { delayMs: 100 } })
    const a = openSession(network, 'm', 'a', { sessionId: 'a' })
    openSession(network, 'm', 'b', { sessionId: 'b' })
    await settle()
    let drained = false
    a.beat(1)
    a.beat(2, 'nobody')
    void a.session.drain?.().then(() => {
      drained = true
    })
    await advance(99)
    expect(drained).toBe(false)
    await advance(1)
    expect(drained).toBe(true)
    await expect(a.session.drain?.()).resolves.toBeUndefined()
  })

  it('lists sessions with their state, per meeting or all', async () => {
    const network = createMemoryNetwork()
    openSession(network, 'm', 'a', { sessionId: 'a' })
    openSession(network, 'm', 'b', { sessionId: 'b' }).close()
    openSession(network, 'n', 'c', { sessionId: 'c' })
    network.crash('c')
    expect(network.sessions('m')).toEqual([
      { sessionId: 'a', participantId: 'a', meetingId: 'm', state: 'open' },
      { sessionId: 'b', participantId: 'b', meetingId: 'm', state: 'closed' },
    ])
    expect(network.sessions().map((s) => s.state)).toEqual(['open', 'closed', 'crashed'])
  })

  it.each([
    ['a fractional seed', { seed: 1.5 }, 'seed'],
    ['a string seed', { seed: '42' }, 'seed'],
    ['a negative crashLinkDownAfterMs', { crashLinkDownAfterMs: -1 }, 'crashLinkDownAfterMs'],
    ['a drop above 1', { faults: { drop: 2 } }, 'faults.drop'],
    ['a NaN duplicate', { faults: { duplicate: Number.NaN } }, 'faults.duplicate'],
    ['an inverted delay range', { faults: { delayMs: [50, 10] } }, 'faults.delayMs'],
    ['a fractional delay', { faults: { delayMs: 0.5 } }, 'faults.delayMs'],
    ['a non-boolean reorder', { faults: { reorder: 'yes' } }, 'faults.reorder'],
    ['a misspelt fault', { faults: { dorp: 0.1 } }, 'faults.dorp'],
    ['a misspelt option', { sede: 1 }, 'sede'],
    ['a non-function onObserverError', { onObserverError: 'log' }, 'onObserverError'],
  ])('rejects %s with INVALID_OPTION', (_, options, option) => {
    const attempt = () => createMemoryNetwork(options as never)
    expect(attempt).toThrowError(MeetingError)
    expect(attempt).toThrowError(expect.objectContaining({ code: 'INVALID_OPTION', details: { option } }))
  })

  it('rejects bad calls with INVALID_OPTION and changes nothing', async () => {
    const network = createMemoryNetwork({ faults: { drop: 1 } })
    const invalid = expect.objectContaining({ code: 'INVALID_OPTION' })
    expect(() => network.setFaults({ drop: -0.1 })).toThrowError(invalid)
    expect(() => network.partition(['a'], ['a', 'b'])).toThrowError(invalid)
    expect(() => network.partition(['a'])).toThrowError(invalid)
    expect(() => network.crash('')).toThrowError(invalid)
    expect(() =>
      network.transport().session({ meetingId: '', participantId: 'a', sessionId: 's' }),
    ).toThrowError(invalid)
    const { a, b } = { a: openSession(network, 'm', 'a'), b: openSession(network, 'm', 'b') }
    await settle()
    a.beat(1)
    await settle()
    // drop: 1 is still in force and no partition was added.
    expect(b.received()).toEqual([])
    network.setFaults({})
    a.beat(2)
    await settle()
    expect(b.received()).toEqual([[a.sessionId, 2]])
  })
})

describe('createMemoryNetwork: real timers and scale', () => {
  it('works on real timers', async () => {
    const network = createMemoryNetwork({ faults: { delayMs: [1, 5] } })
    const a = openSession(network, 'm', 'a', { sessionId: 'a' })
    const b = openSession(network, 'm', 'b', { sessionId: 'b' })
    await new Promise((resolve) => setTimeout(resolve, 5))
    for (let seq = 0; seq < 20; seq++) a.beat(seq, 'b')
    await a.session.drain?.()
    expect(b.received().map(([, seq]) => seq)).toEqual(Array.from({ length: 20 }, (_, i) => i))
  })

  it('carries a full mesh of 300 sessions broadcasting once each', async () => {
    const network = createMemoryNetwork()
    const sessions = Array.from({ length: 300 }, (_, i) => openSession(network, 'big', `p${i}`))
    await Promise.all(sessions.map((s) => s.session.drain?.()))
    await new Promise((resolve) => setTimeout(resolve, 10))
    for (const s of sessions) s.beat(1)
    await Promise.all(sessions.map((s) => s.session.drain?.()))
    expect(network.stats).toEqual({ sent: 300 * 299, delivered: 300 * 299, dropped: 0, duplicated: 0 })
    expect(sessions.every((s) => s.received().length === 299)).toBe(true)
    expect(sessions[0]!.events.filter((e) => e.type === 'link-up')).toHaveLength(299)
  })
})
