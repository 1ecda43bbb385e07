/**
 * Participants of real meetings over the Socket.IO relay: core's `createMeeting` with this transport,
 * tokens from the server's real `POST /token` (bound to each session's key), every peer verified
 * against the server's JWKS. Each one records every event and every error, so a test can fail on an
 * unexpected error.
 */
import {
  createMeeting,
  type Meeting,
  type MeetingError,
  type ParticipantLeftReason,
  type ParticipantRole,
  type Transport,
} from '@convene/core'
import type { TokenResponse } from '@convene/server'

export const MEETING = 'town-hall'
export const timing = { heartbeatIntervalMs: 500, departureTimeoutMs: 2500, leaveTimeoutMs: 500 }

export interface Person {
  readonly id: string
  readonly meeting: Meeting
  readonly errors: MeetingError[]
  /** `participant-left` as told to this person, with when. */
  readonly left: { id: string; reason: ParticipantLeftReason; at: number }[]
  readonly joined: { id: string; at: number }[]
  /** `meeting-left`, with when. */
  readonly ended: { reason: string; at: number }[]
}

/** Where tokens come from: `POST <tokenUrl>`, as an app's front end would call it. */
export function tokenFrom(tokenUrl: string, role?: ParticipantRole) {
  return async (request: {
    meetingId: string
    participantId: string
    role: ParticipantRole
    publicKey?: unknown
  }) => {
    const response = await fetch(tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ ...request, ...(role ? { role } : {}) }),
    })
    if (response.status !== 200) throw new Error(`POST /token answered ${response.status}`)
    return ((await response.json()) as TokenResponse).token
  }
}

export function person(
  id: string,
  role: ParticipantRole,
  transport: Transport,
  server: { tokenUrl: string | null; jwksUrl: string | null },
  overrides: Partial<Parameters<typeof createMeeting>[0]> = {},
): Person {
  const meeting = createMeeting({
    meetingId: MEETING,
    participant: { id, role },
    transport,
    ...timing,
    ...(server.tokenUrl && server.jwksUrl
      ? { token: tokenFrom(server.tokenUrl), auth: { jwks: server.jwksUrl } }
      : {}),
    ...overrides,
  })
  const tracked: Person = { id, meeting, errors: [], left: [], joined: [], ended: [] }
  meeting.on('error', (error) => tracked.errors.push(error))
  meeting.on('participant-left', (p, { reason }) => tracked.left.push({ id: p.id, reason, at: Date.now() }))
  meeting.on('participant-joined', (p) => tracked.joined.push({ id: p.id, at: Date.now() }))
  meeting.on('meeting-left', ({ reason }) => tracked.ended.push({ reason, at: Date.now() }))
  return tracked
}

export const roster = (p: Person) => [...p.meeting.participants.keys()].sort()

export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Everyone in `group` sees exactly the others. */
export function allSeeEachOther(group: readonly Person[]): boolean {
  return group.every(
    (p) =>
      JSON.stringify(roster(p)) ===
      JSON.stringify(
        group
          .filter((o) => o !== p)
          .map((o) => o.id)
          .sort(),
      ),
  )
}

/** p50 and p95 of a list of numbers (nearest rank). */
export function percentiles(values: readonly number[]): { p50: number; p95: number; n: number } {
  const sorted = [...values].sort((a, b) => a - b)
  const rank = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN
  return { p50: rank(0.5), p95: rank(0.95), n: sorted.length }
}
