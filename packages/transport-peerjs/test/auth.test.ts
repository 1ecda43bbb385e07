import './support/webrtc.js'
import type { Meeting, MeetingError, Transport } from '@convene/core'
import type { ConveneServer, SigningKey, TokenResponse } from '@convene/server'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { waitFor } from './support/sessions.js'

const { createMeeting } = await import('@convene/core')
const { createConveneServer, createToken, generateSigningKey } = await import('@convene/server')
const { createPeerJSTransport } = await import('@convene/transport-peerjs')

const MEETING = 'standup'
const timing = { heartbeatIntervalMs: 500, departureTimeoutMs: 2500, leaveTimeoutMs: 500 }

let server: ConveneServer
let signingKey: SigningKey
const meetings: Meeting[] = []

beforeEach(async () => {
  signingKey = await generateSigningKey()
  server = await createConveneServer({ auth: { signingKey, authorize: () => true } })
  // The intruders run without `auth`, as a modified client would; their dev warning is noise here.
  vi.spyOn(console, 'warn').mockImplementation(() => {})
})

afterEach(async () => {
  for (const m of meetings.splice(0)) m.dispose()
  await server.close()
  vi.restoreAllMocks()
})

async function tokenFor(
  participantId: string,
  role: 'host' | 'participant',
  meetingId = MEETING,
): Promise<string> {
  const response = await fetch(server.tokenUrl!, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ meetingId, participantId, role }),
  })
  expect(response.status).toBe(200)
  return ((await response.json()) as TokenResponse).token
}

const roster = (m: Meeting) => [...m.participants.keys()].sort()

function track(meeting: Meeting) {
  const errors: MeetingError[] = []
  meeting.on('error', (error) => errors.push(error))
  meetings.push(meeting)
  return { meeting, errors }
}

/** Alice (host) and Bob over real WebRTC, each verifying peers against the server's JWKS URL. */
async function honestPair() {
  const person = async (id: string, role: 'host' | 'participant') =>
    track(
      createMeeting({
        meetingId: MEETING,
        participant: { id, role },
        transport: createPeerJSTransport({ port: server.port }),
        token: await tokenFor(id, role),
        auth: { jwks: server.jwksUrl! },
        ...timing,
      }),
    )
  const alice = await person('alice', 'host')
  const bob = await person('bob', 'participant')
  await alice.meeting.join()
  await bob.meeting.join()
  await waitFor(
    () => alice.meeting.participants.has('bob') && bob.meeting.participants.has('alice'),
    30_000,
    'alice and bob',
  )
  expect(bob.meeting.participants.get('alice')?.role).toBe('host')
  const unchanged = () => {
    expect(roster(alice.meeting)).toEqual(['bob'])
    expect(roster(bob.meeting)).toEqual(['alice'])
    expect(alice.meeting.meetingState).toBe('CONNECTED')
    expect(bob.meeting.meetingState).toBe('CONNECTED')
  }
  return { alice, bob, unchanged }
}

describe('auth over real WebRTC and a real server', () => {
  it('the room directory refuses a forged token and a token for another meeting; the join fails, nobody hears of it', async () => {
    const { alice, bob, unchanged } = await honestPair()
    const forger = await generateSigningKey({ kid: signingKey.kid })
    const attempts = [
      [
        'a forged token',
        await createToken({ meetingId: MEETING, participantId: 'mallory', role: 'host' }, forger),
        401,
      ],
      ['a token for another meeting', await tokenFor('mallory', 'host', 'retro'), 403],
    ] as const
    for (const [label, token, status] of attempts) {
      const mallory = track(
        createMeeting({
          meetingId: MEETING,
          participant: { id: 'mallory', role: 'host' },
          transport: createPeerJSTransport({ port: server.port }),
          token,
          ...timing,
        }),
      )
      const error = (await mallory.meeting.join().then(
        () => null,
        (e: unknown) => e,
      )) as MeetingError | null
      expect(error?.code, label).toBe('JOIN_FAILED')
      // The app hears why: the directory's answer, in the transport error that failed the join.
      const reported = mallory.errors.find((e) => e.code === 'TRANSPORT_ERROR')
      expect(reported?.message, label).toContain(`HTTP ${status}`)
      expect(roster(mallory.meeting), label).toEqual([])
    }
    // Straight at the directory: no token, and another meeting's token.
    const url = `${server.url}/convene/rooms/${MEETING}`
    expect((await fetch(url)).status).toBe(401)
    expect((await fetch(url, { headers: { Authorization: `Bearer ${attempts[1][1]}` } })).status).toBe(403)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    unchanged()
    expect([...alice.errors, ...bob.errors]).toEqual([])
  })

  it('a peer past the directory (with a leaked listing token) but with a forged host token is refused and cut off', async () => {
    const { alice, bob, unchanged } = await honestPair()
    const leaked = await tokenFor('intern', 'participant')
    const forger = await generateSigningKey({ kid: signingKey.kid })
    const forged = await createToken({ meetingId: MEETING, participantId: 'mallory', role: 'host' }, forger)
    const real = createPeerJSTransport({ port: server.port })
    // A modified client: lists the room with the leaked token, says hello with the forged one. Its link
    // events are recorded to see the honest side close the links.
    const links: { type: string; linkId: string }[] = []
    const insider: Transport = {
      name: 'insider',
      session(options) {
        const session = real.session({ ...options, token: leaked })
        return {
          ...session,
          events: {
            subscribe: (observer) =>
              session.events.subscribe({
                ...observer,
                next(event) {
                  if (event.type === 'link-up' || event.type === 'link-down') links.push(event)
                  observer.next?.(event)
                },
              }),
          },
        }
      },
    }
    const mallory = track(
      createMeeting({
        meetingId: MEETING,
        participant: { id: 'mallory', role: 'host' },
        transport: insider,
        token: forged,
        ...timing,
      }),
    )
    await mallory.meeting.join()
    await waitFor(
      () => [alice, bob].every((p) => p.errors.some((e) => e.code === 'AUTH_FAILED')),
      30_000,
      'both refuse mallory',
    )
    for (const p of [alice, bob]) {
      const refusal = p.errors.find((e) => e.code === 'AUTH_FAILED')!
      expect(refusal.details.participantId).toBe('mallory')
    }
    // Cut off: both honest peers closed their link to mallory.
    const ids = (type: string) => new Set(links.filter((e) => e.type === type).map((e) => e.linkId))
    await waitFor(
      () => ids('link-up').size === 2 && ids('link-down').size === 2,
      30_000,
      'links to mallory closed',
    )
    expect(ids('link-down')).toEqual(ids('link-up'))
    await waitFor(() => mallory.meeting.participants.size === 0, 30_000, 'mallory alone')
    await mallory.meeting.end().catch(() => {})
    await new Promise((resolve) => setTimeout(resolve, 1000))
    unchanged()
  })
  it('a self-declared host holding a participant token joins as participant; its END changes nothing', async () => {
    const { alice, bob } = await honestPair()
    const mallory = track(
      createMeeting({
        meetingId: MEETING,
        participant: { id: 'mallory', role: 'host' },
        transport: createPeerJSTransport({ port: server.port }),
        token: await tokenFor('mallory', 'participant'),
        ...timing,
      }),
    )
    await mallory.meeting.join()
    await waitFor(
      () => [alice, bob].every((p) => p.meeting.participants.get('mallory')?.role === 'participant'),
      30_000,
      'mallory admitted as participant',
    )
    // Her client believes it is host, so the END goes out on live links.
    await mallory.meeting.end()
    await waitFor(
      () => [alice, bob].every((p) => p.errors.some((e) => e.code === 'UNAUTHORIZED_COMMAND')),
      30_000,
      'END refused by both',
    )
    await new Promise((resolve) => setTimeout(resolve, 1000))
    for (const p of [alice, bob]) expect(p.meeting.meetingState).toBe('CONNECTED')
    expect(alice.meeting.participants.has('bob')).toBe(true)
    expect(bob.meeting.participants.get('alice')?.role).toBe('host')
  })
})
