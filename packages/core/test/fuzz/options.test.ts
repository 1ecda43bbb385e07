import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  type CreateMeetingOptions,
  createMeeting,
  createMemoryNetwork,
  isMeetingError,
  type Meeting,
} from '../../src/index.js'
import { internalContext } from '../support/internals.js'
import { fuzzParameters } from './support/runs.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const network = createMemoryNetwork()
const transport = network.transport()
let sessions = 0
const valid = (): CreateMeetingOptions => ({
  meetingId: 'options',
  participant: { id: 'alice', name: 'Alice', role: 'host' },
  transport,
  createSessionId: () => `s${++sessions}`,
})

// Every option of CreateMeetingOptions (types.ts), with values that must be refused at createMeeting.
const long = (n: number) => 'x'.repeat(n)
const durations = [-1, Number.NaN, Number.POSITIVE_INFINITY, '1000', null, {}, 2 ** 31, 10n]
const bad: Record<string, unknown[]> = {
  meetingId: [undefined, '', long(129), 42, null, {}, ['m'], Symbol('m')],
  participant: [undefined, null, 'alice', 42, []],
  'participant.id': [undefined, '', long(129), 7, null, { id: 'a' }],
  'participant.name': [42, long(257), null, {}],
  'participant.role': ['admin', 'HOST', '', 1, null],
  transport: [undefined, null, {}, { session: 'nope' }, 'memory', () => transport],
  heartbeatIntervalMs: [...durations, 0, 9],
  departureTimeoutMs: [...durations, 0, 29],
  joinTimeoutMs: [...durations, 0],
  leaveTimeoutMs: durations,
  reconnectTimeoutMs: durations,
  token: ['', 42, {}, long(8193)],
  auth: [null, 'secret', {}, { jwks: '' }, { jwks: { keys: 'x' } }, { publicKey: '' }, 42],
  inspect: [42, 'console', true, { next: 'log' }, null],
  createSessionId: ['s1', 42, {}, () => 42, () => '', () => long(129)],
  now: ['now', 42, () => Number.NaN, () => -1, () => 'today'],
}

function withOption(path: string, value: unknown): CreateMeetingOptions {
  const options = valid() as unknown as Record<string, unknown>
  const [head, field] = path.split('.') as [string, string | undefined]
  if (field !== undefined) {
    const inner: Record<string, unknown> = { ...(options[head] as object) }
    if (value === undefined) delete inner[field]
    else inner[field] = value
    options[head] = inner
  } else if (value === undefined) delete options[head]
  else options[head] = value
  if (head === 'auth') options.token = 'a.b.c'
  return options as unknown as CreateMeetingOptions
}

function refusal(make: () => unknown): unknown {
  try {
    make()
  } catch (error) {
    return error
  }
  return undefined
}

describe('createMeeting validates every public option up front', () => {
  const cases = Object.entries(bad).flatMap(([option, values]) =>
    values.map((value) => [option, fc.stringify(value).slice(0, 30), value] as const),
  )

  it.each(cases)('%s = %s is refused with INVALID_OPTION naming it', (option, _shown, value) => {
    const error = refusal(() => createMeeting(withOption(option, value)))
    expect(isMeetingError(error), `threw ${String(error)}`).toBe(true)
    expect(error).toMatchObject({ code: 'INVALID_OPTION' })
    // An array as `participant` is reported on its missing `participant.id`: still the option at fault.
    expect((error as { details: { option?: string } }).details.option?.startsWith(option)).toBe(true)
    expect((error as Error).message).toContain(option)
  })

  it('a misspelt or unknown option is refused, naming it and the option it resembles', () => {
    const cases = [
      [{ departureTimeout: 5000 }, 'departureTimeout', /did you mean `departureTimeoutMs`/],
      [{ meetingID: 'm' }, 'meetingID', /did you mean `meetingId`/],
      [{ colour: 'red' }, 'colour', /unknown option\. Known: meetingId/],
    ] as const
    for (const [extra, option, hint] of cases) {
      const error = refusal(() => createMeeting({ ...valid(), ...extra } as never))
      expect(error).toMatchObject({ code: 'INVALID_OPTION', details: { option } })
      expect((error as Error).message).toMatch(hint)
    }
    const misnamed = refusal(() =>
      createMeeting({ ...valid(), participant: { id: 'a', displayName: 'A' } } as never),
    )
    expect(misnamed).toMatchObject({ details: { option: 'participant.displayName' } })
  })

  it('no options object at all', () => {
    for (const options of [undefined, null, 'm', 42]) {
      const error = refusal(() => createMeeting(options as never))
      expect(error).toMatchObject({ code: 'INVALID_OPTION', details: { option: 'options' } })
    }
  })

  it('touches nothing when it refuses: no session opened, no timer started', () => {
    const before = network.sessions().length
    for (const [option, values] of Object.entries(bad)) {
      for (const value of values) refusal(() => createMeeting(withOption(option, value)))
    }
    expect(network.sessions()).toHaveLength(before)
    expect(vi.getTimerCount()).toBe(0)
  })
})

/** Joins with a peer already in the room: a meeting whose options were accepted must work. */
async function worksWithAPeer(meeting: Meeting) {
  const peer = createMeeting({ ...valid(), participant: { id: 'peer' }, meetingId: meeting.meetingId })
  const joinedPeer = peer.join()
  await vi.advanceTimersByTimeAsync(10)
  await joinedPeer
  const joined = meeting.join()
  await vi.advanceTimersByTimeAsync(50)
  await joined
  await vi.advanceTimersByTimeAsync(5_000)
  expect(meeting.participants.get('peer')?.sessionId).toBe(peer.localParticipant.sessionId)
  expect(peer.participants.get(meeting.localParticipant.id)?.sessionId).toBe(
    meeting.localParticipant.sessionId,
  )
  meeting.dispose()
  peer.dispose()
  // Their goodbyes are delivered behind the scenes (leaveTimeoutMs at most): the next run's alice and
  // peer, on the same network and meeting, must not meet these sessions, whose clock (`now`) may be ahead.
  await vi.advanceTimersByTimeAsync(2_000)
}

const stopped = (...meetings: Meeting[]) => meetings.every((m) => m.actor.getSnapshot().status === 'stopped')

async function worksWithAPeerInRealTime(meeting: Meeting) {
  const peer = createMeeting({ ...valid(), participant: { id: 'peer' }, meetingId: meeting.meetingId })
  try {
    await peer.join()
    await meeting.join()
    await vi.waitFor(() => {
      expect(meeting.participants.get('peer')?.sessionId).toBe(peer.localParticipant.sessionId)
      expect(peer.participants.get(meeting.localParticipant.id)?.sessionId).toBe(
        meeting.localParticipant.sessionId,
      )
    }, 5000)
  } finally {
    meeting.dispose()
    peer.dispose()
    await vi.waitFor(() => expect(stopped(meeting, peer)).toBe(true), 5000)
  }
}

describe('arbitrary option values: refused at createMeeting, or accepted and working', () => {
  const fields = [
    'meetingId',
    'participant.id',
    'participant.name',
    'participant.role',
    'token',
    'createSessionId',
    'now',
  ] as const
  const anyValue = fc.oneof(
    fc.anything({ withBigInt: true }),
    fc.string({ maxLength: 300 }),
    fc.constantFrom('host', 'participant', 'x'.repeat(128), 'x'.repeat(129)),
    fc.oneof(fc.string(), fc.anything(), fc.double(), fc.integer()).map((result) => () => result),
  )

  it('identity and hooks', { timeout: 120_000 }, async () => {
    const { numRuns, ...replay } = fuzzParameters(300)
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...fields), anyValue, async (option, value) => {
        let meeting: Meeting
        try {
          meeting = createMeeting(withOption(option, value))
        } catch (error) {
          expect(isMeetingError(error), `threw ${String(error)}`).toBe(true)
          expect(error).toMatchObject({ code: 'INVALID_OPTION' })
          return
        }
        if (option === 'token' && typeof value === 'function') {
          const returned = (value as () => unknown)()
          if (typeof returned !== 'string' || returned.length === 0 || returned.length > 8192) {
            // Only join() calls a token function: what it returns is refused there, naming the option.
            await expect(meeting.join()).rejects.toMatchObject({
              code: 'INVALID_OPTION',
              details: { option: 'token' },
            })
            expect(meeting.meetingState).toBe('DISCONNECTED')
            return meeting.dispose()
          }
          // A token function means a session key: WebCrypto signs each hello on its own real clock,
          // which fake timers cannot advance, so this meeting runs on real time.
          vi.useRealTimers()
          try {
            return await worksWithAPeerInRealTime(meeting)
          } finally {
            vi.useFakeTimers()
          }
        }
        await worksWithAPeer(meeting)
      }),
      { numRuns: Math.min(numRuns, 2000), ...replay },
    )
  })

  it('timings', async () => {
    const names = [
      'heartbeatIntervalMs',
      'departureTimeoutMs',
      'joinTimeoutMs',
      'leaveTimeoutMs',
      'reconnectTimeoutMs',
    ] as const
    const value = fc.oneof(fc.double(), fc.integer(), fc.anything({ withBigInt: true }))
    const { numRuns, ...replay } = fuzzParameters(1000)
    fc.assert(
      fc.property(fc.constantFrom(...names), value, (option, ms) => {
        try {
          const meeting = createMeeting(withOption(option, ms))
          const { timing } = internalContext(meeting).setup
          // Accepted only as a usable number of milliseconds, and then used as given.
          if (ms !== undefined) {
            expect(typeof ms === 'number' && ms >= 0 && ms <= 2 ** 31 - 1).toBe(true)
            if (option !== 'heartbeatIntervalMs') expect(timing[option]).toBe(ms)
          }
          meeting.dispose()
        } catch (error) {
          expect(error).toMatchObject({ code: 'INVALID_OPTION', details: { option } })
        }
      }),
      { numRuns: Math.min(numRuns, 5000), ...replay },
    )
  })
})
