import { describe, expect, it, vi } from 'vitest'
import {
  createMeeting,
  createMemoryNetwork,
  type Meeting,
  type MeetingError,
  PROTOCOL_VERSION,
} from '../src/index.js'
import { createTestIssuer, verifiedPeople } from './support/tokens.js'

// Real timers: token checks run in WebCrypto, which fake timers cannot advance.
const fast = { heartbeatIntervalMs: 50, departureTimeoutMs: 300, leaveTimeoutMs: 200 }

async function setup() {
  const issuer = await createTestIssuer()
  const network = createMemoryNetwork()
  const { person, errors, meetings } = verifiedPeople(issuer, network, fast)
  const honest = async () => {
    const alice = person('alice', 'host')
    const bob = person('bob', 'participant')
    await alice.join()
    await bob.join()
    await vi.waitFor(() => expect(alice.participants.has('bob')).toBe(true))
    return { alice, bob }
  }
  return { issuer, network, person, honest, errors, meetings }
}

const roster = (m: Meeting) => [...m.participants.keys()].sort()

async function attempt(intruder: Meeting) {
  await intruder.join().catch((error: MeetingError) => error)
  await new Promise((resolve) => setTimeout(resolve, 400))
}

describe('auth: nobody joins, ends or removes without a token from the app backend', () => {
  it('honest participants with valid tokens meet; roles come from tokens', async () => {
    const { honest, meetings } = await setup()
    const { alice, bob } = await honest()
    expect(roster(alice)).toEqual(['bob'])
    expect(roster(bob)).toEqual(['alice'])
    expect(bob.participants.get('alice')?.role).toBe('host')
    for (const m of meetings) m.dispose()
  })

  it.each([
    ['a forged token (signed with another key)', 'forged'],
    ['a token for another meeting', 'other-meeting'],
    ['an expired token', 'expired'],
    ['a spoofed participant id (token for mallory, claiming carol)', 'spoofed'],
  ])(
    'refuses %s: not in any roster, honest rosters unchanged, the refusal reported',
    async (_label, attack) => {
      const { issuer, person, honest, errors, network, meetings } = await setup()
      const { alice, bob } = await honest()
      const other = await createTestIssuer()
      const tokens: Record<string, Promise<string>> = {
        forged: other.token({ meetingId: 'standup', participantId: 'mallory', role: 'host' }),
        'other-meeting': issuer.token({ meetingId: 'retro', participantId: 'mallory', role: 'host' }),
        expired: issuer.token({
          meetingId: 'standup',
          participantId: 'mallory',
          role: 'host',
          expiresIn: Math.floor(Date.now() / 1000) - 60,
        }),
        spoofed: issuer.token({ meetingId: 'standup', participantId: 'mallory', role: 'host' }),
      }
      // The intruder runs without verifying its own token, as a modified client would.
      const id = attack === 'spoofed' ? 'carol' : 'mallory'
      const intruder = createMeeting({
        meetingId: 'standup',
        participant: { id, role: 'host' },
        transport: network.transport(),
        token: await tokens[attack],
        ...fast,
      })
      meetings.push(intruder)
      await attempt(intruder)
      expect(roster(alice)).toEqual(['bob'])
      expect(roster(bob)).toEqual(['alice'])
      expect(errors.alice?.map((e) => e.code)).toContain('AUTH_FAILED')
      expect(errors.bob?.map((e) => e.code)).toContain('AUTH_FAILED')
      void person
      for (const m of meetings) m.dispose()
    },
  )

  it('a self-declared host with a participant token is admitted as participant, and its END is refused', async () => {
    const { issuer, honest, errors, network, meetings } = await setup()
    const { alice, bob } = await honest()
    // Bound to mallory's own key, so peers admit her: as the participant her token says, not as host.
    const token = issuer.provider({ meetingId: 'standup', participantId: 'mallory', role: 'participant' })
    const mallory = createMeeting({
      meetingId: 'standup',
      participant: { id: 'mallory', role: 'host' },
      transport: network.transport(),
      token,
      ...fast,
    })
    meetings.push(mallory)
    await mallory.join()
    await vi.waitFor(() => expect(roster(alice)).toEqual(['bob', 'mallory']))
    expect(alice.participants.get('mallory')?.role).toBe('participant')
    await mallory.end().catch(() => {})
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(alice.meetingState).toBe('CONNECTED')
    expect(bob.meetingState).toBe('CONNECTED')
    expect(errors.alice?.map((e) => e.code)).toContain('UNAUTHORIZED_COMMAND')
    for (const m of meetings) m.dispose()
  })

  it('a REMOVE from a non-host, and a host END replayed by a non-host, change nothing', async () => {
    const { person, honest, errors, network, meetings } = await setup()
    const { alice, bob } = await honest()
    const carol = person('carol', 'participant')
    await carol.join()
    await vi.waitFor(() => expect(roster(alice)).toEqual(['bob', 'carol']))
    const carolSession = carol.localParticipant.sessionId
    const aliceSession = alice.localParticipant.sessionId
    const envelope = { v: PROTOCOL_VERSION, session: carolSession, seq: 500 }
    network.inject(
      bob.localParticipant.sessionId,
      { ...envelope, type: 'remove', origin: carolSession, target: 'alice' },
      carolSession,
    )
    // A captured END of the host's, replayed from carol's link: same origin, wrong link.
    network.inject(
      bob.localParticipant.sessionId,
      { v: PROTOCOL_VERSION, session: aliceSession, seq: 900, type: 'end', origin: aliceSession },
      carolSession,
    )
    // The same END relayed by carol under her own session: relays do not count when identities are verified.
    network.inject(
      bob.localParticipant.sessionId,
      { ...envelope, seq: 501, type: 'end', origin: aliceSession },
      carolSession,
    )
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(bob.meetingState).toBe('CONNECTED')
    expect(roster(bob)).toEqual(['alice', 'carol'])
    expect(errors.bob?.map((e) => e.code)).toEqual([
      'UNAUTHORIZED_COMMAND',
      'AUTH_FAILED',
      'UNAUTHORIZED_COMMAND',
    ])
    for (const m of meetings) m.dispose()
  })

  it('join() with our own token for the wrong role or meeting rejects AUTH_FAILED before any hello', async () => {
    const { issuer, person, network } = await setup()
    const wrongRole = person('dave', 'host', {
      token: issuer.provider({ meetingId: 'standup', participantId: 'dave', role: 'participant' }),
    })
    expect(((await wrongRole.join().catch((e) => e)) as MeetingError).code).toBe('AUTH_FAILED')
    const wrongMeeting = person('erin', 'participant', {
      token: issuer.provider({ meetingId: 'retro', participantId: 'erin', role: 'participant' }),
    })
    expect(((await wrongMeeting.join().catch((e) => e)) as MeetingError).code).toBe('AUTH_FAILED')
    expect(network.sessions()).toEqual([])
  })
})

describe('auth: leave() while join() is still checking our own token', () => {
  it('cancels the join: it rejects JOIN_CANCELLED and no session is ever opened', async () => {
    const { person, network } = await setup()
    const frank = person('frank', 'participant')
    const joined = frank.join().catch((error: MeetingError) => error)
    await frank.leave()
    expect(((await joined) as MeetingError).code).toBe('JOIN_CANCELLED')
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(network.sessions()).toEqual([])
    expect(frank.meetingState).toBe('DISCONNECTED')
  })
})

describe('auth: media only for admitted peers', () => {
  it("tells the transport to admit bob's link once his token checks out, and never the forger's", async () => {
    const { issuer, network, meetings } = await setup()
    const admitted: string[] = []
    const inner = network.transport()
    const recording = {
      name: 'recording',
      session: (options: Parameters<typeof inner.session>[0]) => ({
        ...inner.session(options),
        admitLink: (linkId: string) => admitted.push(linkId),
      }),
    }
    const alice = createMeeting({
      meetingId: 'standup',
      participant: { id: 'alice', role: 'host' },
      transport: recording,
      token: issuer.provider({ meetingId: 'standup', participantId: 'alice', role: 'host' }),
      auth: { jwks: issuer.jwks },
      ...fast,
    })
    const bob = createMeeting({
      meetingId: 'standup',
      participant: { id: 'bob' },
      transport: network.transport(),
      token: issuer.provider({ meetingId: 'standup', participantId: 'bob', role: 'participant' }),
      auth: { jwks: issuer.jwks },
      ...fast,
    })
    const forger = await createTestIssuer()
    const mallory = createMeeting({
      meetingId: 'standup',
      participant: { id: 'mallory', role: 'host' },
      transport: network.transport(),
      token: await forger.token({ meetingId: 'standup', participantId: 'mallory', role: 'host' }),
      ...fast,
    })
    meetings.push(alice, bob, mallory)
    await alice.join()
    await bob.join()
    await mallory.join().catch(() => {})
    await new Promise((resolve) => setTimeout(resolve, 400))
    expect(admitted).toEqual([bob.localParticipant.sessionId])
    for (const m of meetings) m.dispose()
  })
})
