import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  createMeeting,
  createMemoryNetwork,
  type HelloMessage,
  type Meeting,
  MeetingError,
  type ParticipantRole,
  type TokenProvider,
  type Transport,
  tapTransport,
} from '../src/index.js'
import { createTestIssuer, verifiedPeople } from './support/tokens.js'

// Real timers: keys are made and hellos signed in WebCrypto, which fake timers cannot advance.
const fast = { heartbeatIntervalMs: 50, departureTimeoutMs: 400, leaveTimeoutMs: 200 }
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const roster = (m: Meeting) => [...m.participants.keys()].sort()
const codes = (errors: MeetingError[]) => errors.map((e) => e.code)

const meetings: Meeting[] = []
afterEach(() => {
  for (const m of meetings.splice(0)) m.dispose()
  vi.restoreAllMocks()
})

/** A transport that hands every hello it receives to `seen`, as a modified client could. */
const sniffing = (inner: Transport, seen: HelloMessage[]): Transport =>
  tapTransport(inner, {
    event(event) {
      const data = event.type === 'message' ? (event.data as HelloMessage) : null
      if (data?.type === 'hello') seen.push(data)
    },
  })

async function room() {
  vi.spyOn(console, 'warn').mockImplementation(() => {}) // intruders run without auth
  const issuer = await createTestIssuer()
  const network = createMemoryNetwork()
  const { person, errors } = verifiedPeople(issuer, network, fast, meetings)
  const alice = person('alice', 'host')
  const bob = person('bob', 'participant')
  await alice.join()
  await bob.join()
  await vi.waitFor(() => expect(roster(alice)).toEqual(['bob']))
  await vi.waitFor(() => expect(roster(bob)).toEqual(['alice']))
  return { issuer, network, person, alice, bob, errors }
}

describe('proof of possession: a token is worth nothing without its session key', () => {
  it("a participant replaying the host's token from her hello is refused; the real host stays", async () => {
    const { network, person, alice, bob, errors } = await room()
    const seen: HelloMessage[] = []
    const carol = person('carol', 'participant', { transport: sniffing(network.transport(), seen) })
    await carol.join()
    await vi.waitFor(() => expect(seen.some((h) => h.participant.id === 'alice')).toBe(true))
    const captured = seen.find((h) => h.participant.id === 'alice')!
    expect(captured.proof).toMatch(/^[\w-]{86}$/)

    // As a bearer token, and as a "bound" token under a key of the impostor's own: both fail.
    const asBearer = createMeeting({
      meetingId: 'standup',
      participant: { id: 'alice', role: 'host' },
      transport: network.transport(),
      token: captured.token!,
      ...fast,
    })
    await asBearer.join().catch(() => {})
    await wait(300)
    await asBearer.end().catch(() => {})
    await asBearer.leave()
    // Created only now: two impostors of one id would otherwise resolve as duplicates of each other.
    const withOwnKey = createMeeting({
      meetingId: 'standup',
      participant: { id: 'alice', role: 'host' },
      transport: network.transport(),
      token: () => captured.token!,
      ...fast,
    })
    meetings.push(asBearer, withOwnKey)
    await withOwnKey.join().catch(() => {})
    await wait(300)
    await withOwnKey.end().catch(() => {})
    await wait(400)

    expect(alice.meetingState).toBe('CONNECTED')
    expect(bob.meetingState).toBe('CONNECTED')
    expect(carol.meetingState).toBe('CONNECTED')
    expect(bob.participants.get('alice')?.sessionId).toBe(alice.localParticipant.sessionId)
    expect(carol.participants.get('alice')?.sessionId).toBe(alice.localParticipant.sessionId)
    const refusals = () =>
      [...(errors.bob ?? []), ...(errors.carol ?? [])]
        .filter((e) => e.code === 'AUTH_FAILED')
        .map((e) => e.message)
        .join('\n')
    await vi.waitFor(() => expect(refusals()).toMatch(/no proof/))
    await vi.waitFor(() => expect(refusals()).toMatch(/proof does not verify/))
  })

  it("the host's signed hello, relayed by a participant onto another link, proves nothing there", async () => {
    const { network, person, alice, bob, errors } = await room()
    const seen: HelloMessage[] = []
    const mallory = person('mallory', 'participant', { transport: sniffing(network.transport(), seen) })
    await mallory.join()
    await vi.waitFor(() => expect(seen.some((h) => h.participant.id === 'alice')).toBe(true))
    const hostHello = seen.find((h) => h.participant.id === 'alice')!
    // Mallory opens a second session and plays alice's hello, token and proof untouched, to bob.
    const relay = `relay-${mallory.localParticipant.sessionId}`
    const second = createMeeting({
      meetingId: 'standup',
      participant: { id: 'mallory', role: 'participant' },
      transport: network.transport(),
      createSessionId: () => relay,
      ...fast,
    })
    meetings.push(second)
    await second.join().catch(() => {})
    const before = codes(errors.bob ?? []).length
    network.inject(bob.localParticipant.sessionId, { ...hostHello, session: hostHello.session }, relay)
    await wait(300)
    expect(codes(errors.bob ?? []).slice(before)).toContain('AUTH_FAILED')
    expect(bob.participants.get('alice')?.sessionId).toBe(alice.localParticipant.sessionId)
    expect(bob.meetingState).toBe('CONNECTED')
  })

  it('a bearer token (no key in it) is refused by default, and accepted with allowBearerTokens', async () => {
    const { issuer, network, errors, alice } = await room()
    const token = await issuer.token({ meetingId: 'standup', participantId: 'dan', role: 'participant' })
    const dan = createMeeting({
      meetingId: 'standup',
      participant: { id: 'dan' },
      transport: network.transport(),
      token,
      ...fast,
    })
    meetings.push(dan)
    await dan.join()
    await wait(400)
    expect(roster(alice)).toEqual(['bob'])
    expect(errors.alice?.map((e) => e.message).join('\n')).toMatch(/bearer token/)

    const tolerant = createMeeting({
      meetingId: 'standup',
      participant: { id: 'erin' },
      transport: network.transport(),
      token: await issuer.token({ meetingId: 'standup', participantId: 'erin', role: 'participant' }),
      auth: { jwks: issuer.jwks, allowBearerTokens: true },
      ...fast,
    })
    const frank = createMeeting({
      meetingId: 'standup',
      participant: { id: 'frank' },
      transport: network.transport(),
      token: await issuer.token({ meetingId: 'standup', participantId: 'frank', role: 'participant' }),
      auth: { jwks: issuer.jwks, allowBearerTokens: true },
      ...fast,
    })
    meetings.push(tolerant, frank)
    await tolerant.join()
    await frank.join()
    await vi.waitFor(() => expect(roster(frank)).toContain('erin'))
  })

  it("join() refuses our own token when the backend did not bind it to the session's key", async () => {
    const issuer = await createTestIssuer()
    const network = createMemoryNetwork()
    const unbound: TokenProvider = () =>
      issuer.token({ meetingId: 'standup', participantId: 'gus', role: 'participant' })
    const gus = createMeeting({
      meetingId: 'standup',
      participant: { id: 'gus' },
      transport: network.transport(),
      token: unbound,
      auth: { jwks: issuer.jwks },
    })
    meetings.push(gus)
    const refusal = (await gus.join().catch((e) => e)) as MeetingError
    expect(refusal.code).toBe('AUTH_FAILED')
    expect(refusal.message).toMatch(/bearer token|not bound/)
    expect(network.sessions()).toEqual([])
  })

  it('a token function that throws fails join() with AUTH_FAILED and opens nothing', async () => {
    const issuer = await createTestIssuer()
    const network = createMemoryNetwork()
    const hal = createMeeting({
      meetingId: 'standup',
      participant: { id: 'hal' },
      transport: network.transport(),
      token: () => Promise.reject(new Error('backend down')),
      auth: { jwks: issuer.jwks },
    })
    meetings.push(hal)
    const told: MeetingError[] = []
    hal.on('error', (error) => told.push(error))
    const refusal = (await hal.join().catch((e) => e)) as MeetingError
    expect(refusal).toMatchObject({ code: 'AUTH_FAILED' })
    expect(refusal.message).toMatch(/backend down/)
    // Also told to listeners: a join the app did not await (React's joinOnMount) must not fail unseen.
    expect(told).toEqual([refusal])
    expect(network.sessions()).toEqual([])
  })

  it('a transport refusing our credentials while joining fails join() with its AUTH_FAILED, not JOIN_FAILED', async () => {
    const refusedBySignalling: Transport = {
      name: 'refusing',
      session: () => ({
        address: 'me',
        events: {
          subscribe(observer) {
            const error = new MeetingError('AUTH_FAILED', 'The PeerServer refused the signalling connection')
            setTimeout(() => observer.next?.({ type: 'error', error, fatal: true }), 5)
            return { unsubscribe() {} }
          },
        },
        send() {},
      }),
    }
    const ida = createMeeting({
      meetingId: 'standup',
      participant: { id: 'ida' },
      transport: refusedBySignalling,
    })
    meetings.push(ida)
    const refusal = (await ida.join().catch((e) => e)) as MeetingError
    expect(refusal).toMatchObject({ code: 'AUTH_FAILED' })
    expect(refusal.message).toMatch(/PeerServer refused/)
    expect(ida.meetingState).toBe('DISCONNECTED')
  })
})

describe('proof of possession: tokens are refreshed before they expire', () => {
  it('someone arriving after the first token expired still admits the host (4 s tokens)', async () => {
    const issuer = await createTestIssuer()
    const network = createMemoryNetwork()
    let issued = 0
    const shortLived =
      (participantId: string, role: ParticipantRole): TokenProvider =>
      (request) => {
        if (participantId === 'alice') issued += 1
        return issuer.token({
          meetingId: 'standup',
          participantId,
          role,
          publicKey: request.publicKey,
          expiresIn: '4s',
        })
      }
    const errors: MeetingError[] = []
    const join = async (id: string, role: ParticipantRole) => {
      const meeting = createMeeting({
        meetingId: 'standup',
        participant: { id, role },
        transport: network.transport(),
        token: shortLived(id, role),
        auth: { jwks: issuer.jwks },
        ...fast,
      })
      meeting.on('error', (error) => errors.push(error))
      meetings.push(meeting)
      await meeting.join()
      return meeting
    }
    const alice = await join('alice', 'host')
    await wait(2500)
    const bob = await join('bob', 'participant')
    await vi.waitFor(() => expect(roster(bob)).toEqual(['alice']))
    expect(issued).toBe(2) // at join, then past half its life when bob needed a hello
    await wait(2500) // alice's first token has now expired
    const carol = await join('carol', 'participant')
    await vi.waitFor(() => expect(roster(carol)).toEqual(['alice', 'bob']))
    expect(carol.participants.get('alice')?.role).toBe('host')
    await vi.waitFor(() => expect(roster(alice)).toEqual(['bob', 'carol']))
    expect(codes(errors)).toEqual([])
  }, 20_000)
})

describe('proof of possession: every new channel proves itself again', () => {
  it('after a partition heals, the links come up anew and re-prove; nobody is lost or refused', async () => {
    const { network, alice, bob, errors } = await room()
    const left: string[] = []
    bob.on('participant-left', (p) => left.push(p.id))
    network.partition(['alice'], ['bob'])
    await wait(150)
    network.heal()
    await wait(600)
    expect(roster(bob)).toEqual(['alice'])
    expect(roster(alice)).toEqual(['bob'])
    expect(left).toEqual([])
    expect([...codes(errors.alice ?? []), ...codes(errors.bob ?? [])]).toEqual([])
  })

  it('a lost hello is asked for again, so the meeting still forms', async () => {
    const issuer = await createTestIssuer()
    const network = createMemoryNetwork()
    const inner = network.transport()
    let dropped = 0
    const lossy: Transport = {
      name: 'lossy',
      session(options) {
        const session = inner.session(options)
        return {
          ...session,
          send(message, to) {
            if (message.type === 'hello' && dropped === 0) {
              dropped += 1
              return
            }
            session.send(message, to)
          },
        }
      },
    }
    const make = (id: string, role: ParticipantRole, transport: Transport) => {
      const meeting = createMeeting({
        meetingId: 'standup',
        participant: { id, role },
        transport,
        token: issuer.provider({ meetingId: 'standup', participantId: id, role }),
        auth: { jwks: issuer.jwks },
        ...fast,
      })
      meetings.push(meeting)
      return meeting
    }
    const alice = make('alice', 'host', network.transport())
    await alice.join()
    const bob = make('bob', 'participant', lossy)
    await bob.join()
    await vi.waitFor(() => expect(roster(alice)).toEqual(['bob']), { timeout: 3000 })
    expect(dropped).toBe(1)
    expect(roster(bob)).toEqual(['alice'])
  })
})
