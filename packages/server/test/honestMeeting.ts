import {
  type CreateMeetingOptions,
  createMeeting,
  createMemoryNetwork,
  type Meeting,
  type MeetingError,
} from '@convene/core'
import type { ConveneServer } from '@convene/server'
import { afterEach, expect, vi } from 'vitest'
import { type AuthServer, fetchToken, startAuthServer } from './authSupport.js'

// Real timers throughout: tokens are checked in WebCrypto and the JWKS comes over HTTP. Each test
// starts a server and up to four meetings; a busy 2-core machine needs more than the default 5 s.
vi.setConfig({ testTimeout: 20_000 })
export const fast = { heartbeatIntervalMs: 50, departureTimeoutMs: 400, leaveTimeoutMs: 200 }
export const MEETING = 'standup'

// Whatever a test started is stopped after it (the hook joins the importing test file).
const servers: ConveneServer[] = []
const meetings: Meeting[] = []

/** Disposes `meeting` after the test. */
export function track(meeting: Meeting): Meeting {
  meetings.push(meeting)
  return meeting
}

afterEach(async () => {
  for (const m of meetings.splice(0)) m.dispose()
  await Promise.all(servers.splice(0).map((s) => s.close()))
  vi.restoreAllMocks()
})

export const roster = (m: Meeting) => [...m.participants.keys()].sort()
export const codes = (errors: MeetingError[]) => errors.map((e) => e.code)
/** Long enough for a stray message to show; only before "nothing changed" checks, never before a positive one. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 500))
/** For `vi.waitFor`: a busy 2-core machine verifies tokens and fetches the JWKS slowly. */
export const eventually = { timeout: 10_000 }

/**
 * Alice (host) and Bob (a participant), each with a token bound to its session key from the real
 * `POST /token`, verifying peers with the JWKS URL.
 */
export async function honestMeeting() {
  // Intruders below run without `auth`, as a modified client would; their dev warning is noise here.
  vi.spyOn(console, 'warn').mockImplementation(() => {})
  const started: AuthServer = await startAuthServer()
  servers.push(started.server)
  const { server } = started
  const network = createMemoryNetwork()
  const errors: Record<string, MeetingError[]> = {}
  const person = async (
    id: string,
    role: 'host' | 'participant',
    extra: Partial<CreateMeetingOptions> = {},
  ) => {
    const meeting = createMeeting({
      meetingId: MEETING,
      participant: { id, role },
      transport: network.transport(),
      // As an app does: at each join, a token bound to the session's key from the real POST /token.
      token: async (request) => (await fetchToken(server, request)).token,
      auth: { jwks: server.jwksUrl! },
      ...fast,
      ...extra,
    })
    errors[id] = []
    meeting.on('error', (error) => errors[id]?.push(error))
    meetings.push(meeting)
    return meeting
  }
  const alice = await person('alice', 'host')
  const bob = await person('bob', 'participant')
  await alice.join()
  await bob.join()
  await vi.waitFor(() => expect(roster(alice)).toEqual(['bob']), { timeout: 5000 })
  await vi.waitFor(() => expect(roster(bob)).toEqual(['alice']), { timeout: 5000 })
  /** Someone running a modified client: no `auth` of its own, any token (a function gets a session key). */
  const intruder = (id: string, role: 'host' | 'participant', token: CreateMeetingOptions['token']) => {
    const meeting = createMeeting({
      meetingId: MEETING,
      participant: { id, role },
      transport: network.transport(),
      ...(token === undefined ? {} : { token }),
      ...fast,
    })
    meetings.push(meeting)
    return meeting
  }
  /** Nothing changed for the honest two: same rosters, both still in. */
  const unchanged = () => {
    expect(roster(alice)).toEqual(['bob'])
    expect(roster(bob)).toEqual(['alice'])
    expect(alice.meetingState).toBe('CONNECTED')
    expect(bob.meetingState).toBe('CONNECTED')
    expect(bob.participants.get('alice')?.role).toBe('host')
    expect(alice.participants.get('bob')?.role).toBe('participant')
  }
  return { ...started, network, errors, person, intruder, alice, bob, unchanged }
}
