import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isMeetingError, type MeetingError } from '../../src/index.js'
import { controlTransport } from '../support/controlledTransport.js'
import { createWorld, ids } from '../support/world.js'
import { hostileData } from './support/hostile.js'
import { fuzzParameters } from './support/runs.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const INPUTS = 10_000

describe('protocol fuzzing through network.inject', () => {
  it(`${INPUTS}+ hostile inputs: each one typed error, nothing thrown, state and roster unchanged`, {
    timeout: 300_000,
  }, async () => {
    const world = createWorld()
    const alice = world.person('alice', 'host')
    const bob = world.person('bob')
    const carol = world.person('carol')
    await world.joinAll(alice, bob, carol)
    const target = alice.meeting.localParticipant.sessionId
    const links = [
      bob.meeting.localParticipant.sessionId,
      carol.meeting.localParticipant.sessionId,
      'memory:injected',
      'mallory#9',
    ]
    const errors: unknown[] = []
    alice.meeting.on('error', (error) => errors.push(error))
    const snapshot = alice.meeting.getSnapshot()
    const others = [bob.meeting.getSnapshot(), carol.meeting.getSnapshot()]
    const told = [alice.told.length, bob.told.length, carol.told.length]
    let delivered = 0

    const { numRuns, ...replay } = fuzzParameters(INPUTS)
    await fc.assert(
      fc.asyncProperty(hostileData, fc.constantFrom(...links), async (hostile, link) => {
        const before = errors.length
        world.network.inject(target, hostile.make(), link)
        await world.advance(2)
        delivered++
        expect(alice.meeting.actor.getSnapshot().status, 'the meeting survives').toBe('active')
        expect(errors.length, 'one error event per input').toBe(before + 1)
        const error = errors.at(-1) as MeetingError
        expect(isMeetingError(error)).toBe(true)
        expect(['INVALID_MESSAGE', 'PROTOCOL_VERSION']).toContain(error.code)
        expect(alice.meeting.getSnapshot()).toBe(snapshot)
      }),
      // The meeting is shared across runs, so shrinking would replay on a broken state: report the first failure as is.
      { numRuns: Math.max(INPUTS, numRuns), ...replay, endOnFailure: true },
    )

    expect(delivered).toBeGreaterThanOrEqual(INPUTS)
    expect(alice.meeting.actor.getSnapshot().status).toBe('active')
    expect(alice.meeting.getSnapshot()).toBe(snapshot)
    expect(ids(alice.meeting)).toEqual(['bob', 'carol'])
    // The others never saw any of it: their snapshots and logs are untouched, and the heartbeats go on.
    await world.advance(10_000)
    expect([bob.meeting.getSnapshot(), carol.meeting.getSnapshot()]).toEqual(others)
    expect([alice.told.length - errors.length, bob.told.length, carol.told.length]).toEqual(told)
  })
})

describe('protocol fuzzing while joining', () => {
  it('1,000+ hostile inputs before ready (FUZZ_RUNS, up to 10,000): typed errors, still joining, then joins normally', {
    timeout: 120_000,
  }, async () => {
    const world = createWorld()
    const bob = world.person('bob', 'host')
    await world.joinAll(bob)
    const control = controlTransport(world.network.transport())
    const alice = world.person('alice', 'participant', { transport: control.transport })
    const joined = alice.meeting.join()
    await world.advance(5)
    const target = alice.meeting.localParticipant.sessionId
    const errors: MeetingError[] = []
    alice.meeting.on('error', (error) => errors.push(error))
    const snapshot = alice.meeting.getSnapshot()
    expect(snapshot.status).toBe('joining')
    const { numRuns, ...replay } = fuzzParameters(1000)
    await fc.assert(
      fc.asyncProperty(hostileData, async (hostile) => {
        const before = errors.length
        world.network.inject(target, hostile.make(), bob.meeting.localParticipant.sessionId)
        // Delivered without moving the clock: at any FUZZ_RUNS, alice stays within every timeout.
        await world.advance(0)
        expect(errors.length).toBe(before + 1)
        expect(['INVALID_MESSAGE', 'PROTOCOL_VERSION']).toContain(errors.at(-1)?.code)
        expect(alice.meeting.getSnapshot()).toBe(snapshot)
      }),
      { numRuns: Math.max(1000, Math.min(numRuns, 10_000)), ...replay, endOnFailure: true },
    )
    control.releaseReady()
    await world.advance(50)
    await joined
    expect(ids(alice.meeting)).toEqual(['bob'])
    expect(bob.told.filter((e) => e.includes('alice'))).toEqual(['participant-joined:alice'])
  })
})

describe('transport failures of any shape', () => {
  it('an unprintable error from the transport is reported, and the meeting goes on', async () => {
    const world = createWorld()
    const control = controlTransport(world.network.transport())
    const alice = world.person('alice', 'host', { transport: control.transport })
    const joined = alice.meeting.join()
    control.releaseReady()
    await world.advance(10)
    await joined
    const unprintable = Object.create(null)
    const errors: MeetingError[] = []
    alice.meeting.on('error', (error) => errors.push(error))
    control.emit({ type: 'error', error: unprintable, fatal: false })
    control.emit({
      type: 'error',
      error: {
        toString: () => {
          throw new Error('no')
        },
      },
      fatal: false,
    })
    await world.advance(10)
    expect(errors.slice(0, 2).map((e) => e.code)).toEqual(['TRANSPORT_ERROR', 'TRANSPORT_ERROR'])
    expect(errors[0]?.cause).toBe(unprintable)
    // Malformed events a transport should never emit: reported, not thrown back into the transport.
    const cyclic: Record<string, unknown> = { type: 'bogus' }
    cyclic.self = cyclic
    for (const event of [{ type: 'bogus', n: 1n }, cyclic, { type: 'message', linkId: 42, data: 1n }]) {
      expect(() => control.emit(event as never)).not.toThrow()
    }
    await world.advance(10)
    expect(errors.map((e) => e.code)).toEqual(Array(5).fill('TRANSPORT_ERROR'))
    expect(alice.meeting.actor.getSnapshot().status).toBe('active')
    expect(alice.meeting.meetingState).toBe('CONNECTED')
  })
})
