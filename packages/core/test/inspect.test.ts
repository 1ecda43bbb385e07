import { createInspector, type StatelyInspectionEvent } from '@statelyai/inspect'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createWorld } from './support/world.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('inspection with @statelyai/inspect', () => {
  it("receives the meeting actor's snapshots and events, every one serializable for the Stately inspector", async () => {
    const received: StatelyInspectionEvent[] = []
    const inspector = createInspector({ send: (event) => received.push(event) })
    const world = createWorld()
    const alice = world.person('alice', 'host', { inspect: inspector.inspect })
    const bob = world.person('bob')
    await world.joinAll(alice, bob)
    await Promise.all([bob.meeting.leave(), world.advance(2000)])

    const snapshots = received.filter((e) => e.type === '@xstate.snapshot') as unknown[]
    const values = snapshots.map((e) =>
      JSON.stringify((e as { snapshot: { value: unknown } }).snapshot.value),
    )
    expect(values).toContain(JSON.stringify({ joined: 'connected' }))
    const eventTypes = received
      .filter((e) => e.type === '@xstate.event')
      .map((e) => (e as { event: { type: string } }).event.type)
    expect(eventTypes).toContain('JOIN')
    // Each peer message is an event of its own on the graph: bob's hello, then his leave.
    expect(eventTypes).toContain('peer.hello')
    expect(eventTypes).toContain('peer.leave')
    for (const event of received) expect(() => JSON.stringify(event)).not.toThrow()
    // The roster reaches the inspector as plain data, not as an opaque object.
    type Seen = { snapshot: { context?: { session?: { members?: Record<string, { id: string }> } } } }
    const roster = (e: unknown) => (e as Seen).snapshot.context?.session?.members ?? {}
    expect(Object.keys(roster(snapshots.at(-1)))).toEqual([])
    const withBob = snapshots.find((e) => 'bob' in roster(e))
    expect(withBob).toBeDefined()
  })
})
