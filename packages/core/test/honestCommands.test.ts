import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  type CreateMeetingOptions,
  createMeeting,
  createMemoryNetwork,
  type Meeting,
  type MeetingError,
  type ParticipantRole,
} from '../src/index.js'
import { createTestIssuer } from './support/tokens.js'

// An honest End or Remove is no attack: at any size of meeting, with or without auth, nobody is told
// of an error. Real timers: with auth, keys are made and hellos signed in WebCrypto.
const fast = { heartbeatIntervalMs: 50, departureTimeoutMs: 400, leaveTimeoutMs: 300 }
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const roster = (m: Meeting) => [...m.participants.keys()].sort()

const meetings: Meeting[] = []
afterEach(() => {
  for (const m of meetings.splice(0)) m.dispose()
  vi.restoreAllMocks()
})

async function room(n: number, withAuth: boolean) {
  vi.spyOn(console, 'warn').mockImplementation(() => {}) // the no-auth warning
  const issuer = await createTestIssuer()
  const network = createMemoryNetwork()
  const errors: Record<string, MeetingError[]> = {}
  const left: Record<string, string[]> = {}
  const ids = Array.from({ length: n }, (_, i) => (i === 0 ? 'host' : `p${i}`))
  const people = ids.map((id, i) => {
    const role: ParticipantRole = i === 0 ? 'host' : 'participant'
    const auth: Partial<CreateMeetingOptions> = withAuth
      ? {
          token: issuer.provider({ meetingId: 'standup', participantId: id, role }),
          auth: { jwks: issuer.jwks },
        }
      : {}
    const meeting = createMeeting({
      meetingId: 'standup',
      participant: { id, role },
      transport: network.transport(),
      ...fast,
      ...auth,
    })
    errors[id] = []
    left[id] = []
    meeting.on('error', (error) => errors[id]?.push(error))
    meeting.on('meeting-left', ({ reason }) => left[id]?.push(reason))
    meetings.push(meeting)
    return meeting
  })
  for (const meeting of people) await meeting.join()
  for (const [i, meeting] of people.entries()) {
    await vi.waitFor(() => expect(roster(meeting)).toEqual(ids.filter((_, j) => j !== i).sort()))
  }
  return { ids, people, errors, left }
}

const errorCount = (errors: Record<string, MeetingError[]>) =>
  Object.entries(errors).flatMap(([id, list]) => list.map((e) => `${id}: ${e.code} ${e.message}`))

describe.each([
  ['with auth', true],
  ['without auth', false],
])('an honest End and Remove raise no error anywhere (%s)', (_label, withAuth) => {
  it.each([3, 4, 5, 6, 7, 8])('N = %i: remove one, then end', { timeout: 30_000 }, async (n) => {
    const { ids, people, errors, left } = await room(n, withAuth)
    const [host, ...others] = people as [Meeting, ...Meeting[]]
    const removedId = ids.at(-1) as string
    await host.removeParticipant(removedId)
    await vi.waitFor(() => expect(left[removedId]).toEqual(['removed']))
    for (const [i, meeting] of people.entries()) {
      if (ids[i] === removedId) continue
      await vi.waitFor(() => expect(roster(meeting)).not.toContain(removedId))
    }
    // Goodbyes and their retransmissions are over well within the leave timeout.
    await wait(fast.leaveTimeoutMs + 100)
    expect(errorCount(errors)).toEqual([])

    await host.end()
    for (const id of ids.slice(0, -1)) await vi.waitFor(() => expect(left[id]).toEqual(['ended']))
    await wait(fast.leaveTimeoutMs + 100)
    expect(errorCount(errors)).toEqual([])
    for (const meeting of others.slice(0, -1)) expect(meeting.meetingState).toBe('DISCONNECTED')
  })
})
