/**
 * What a join with a token function does in series and what it does alongside, told by the order of
 * calls, not by time: the key pair is made before the join, and the JWKS is fetched while the token is.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { keysAhead } from '../src/auth/keysAhead.js'
import type { SessionKey } from '../src/auth/sessionKey.js'
import { createMeeting, createMemoryNetwork } from '../src/index.js'
import { createTestIssuer } from './support/tokens.js'

afterEach(() => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
})

const JWKS_URL = 'https://auth.example.test/.well-known/jwks.json'

describe('a join with a token function', () => {
  it('finds its key pair made when the meeting was created', async () => {
    const issuer = await createTestIssuer()
    const generateKey = vi.spyOn(globalThis.crypto.subtle, 'generateKey')
    const meeting = createMeeting({
      meetingId: 'standup',
      participant: { id: 'ada', role: 'host' },
      transport: createMemoryNetwork().transport(),
      token: issuer.provider({ meetingId: 'standup', participantId: 'ada', role: 'host' }),
      auth: { jwks: issuer.jwks },
    })
    expect(generateKey).toHaveBeenCalledTimes(1)
    await meeting.join()
    expect(meeting.meetingState).toBe('CONNECTED')
    meeting.dispose()
  })

  it('fetches the JWKS while the token is still being fetched, not after it', async () => {
    const issuer = await createTestIssuer()
    const fetched: string[] = []
    vi.stubGlobal('fetch', async (input: string | URL | Request) => {
      const url = String(input instanceof Request ? input.url : input)
      fetched.push(url)
      if (url !== JWKS_URL) return new Response('not here', { status: 404 })
      return new Response(JSON.stringify(issuer.jwks), { headers: { 'content-type': 'application/json' } })
    })
    let release!: () => void
    const tokenHeld = new Promise<void>((resolve) => {
      release = resolve
    })
    const provider = issuer.provider({ meetingId: 'standup', participantId: 'ada', role: 'host' })
    let asked = false
    const meeting = createMeeting({
      meetingId: 'standup',
      participant: { id: 'ada', role: 'host' },
      transport: createMemoryNetwork().transport(),
      token: async (request) => {
        asked = true
        await tokenHeld
        return provider(request)
      },
      auth: { jwks: JWKS_URL },
    })
    expect(fetched).toEqual([])
    const joined = meeting.join()
    await vi.waitFor(() => expect(asked).toBe(true))
    await vi.waitFor(() => expect(fetched).toEqual([JWKS_URL]))
    release()
    await joined
    expect(meeting.meetingState).toBe('CONNECTED')
    // The check of our own token used that fetch: no second one.
    expect(fetched).toEqual([JWKS_URL])
    meeting.dispose()
  })
})

describe('a joiner admits those present only once joined', () => {
  it('tells the transport to admit them (its media calls) after meeting-joined, not during the hellos', async () => {
    const network = createMemoryNetwork()
    const alice = createMeeting({
      meetingId: 'standup',
      participant: { id: 'alice', role: 'host' },
      transport: network.transport(),
    })
    const carol = createMeeting({
      meetingId: 'standup',
      participant: { id: 'carol' },
      transport: network.transport(),
    })
    await alice.join()
    await carol.join()
    const steps: string[] = []
    const inner = network.transport()
    const recording = {
      name: 'recording',
      session: (options: Parameters<typeof inner.session>[0]) => ({
        ...inner.session(options),
        admitLink: (linkId: string) => steps.push(`admit ${linkId}`),
      }),
    }
    const bob = createMeeting({ meetingId: 'standup', participant: { id: 'bob' }, transport: recording })
    bob.on('meeting-joined', () => steps.push('joined'))
    await bob.join()
    await vi.waitFor(() => expect(steps).toHaveLength(3))
    const present = [alice, carol].map((m) => `admit ${m.localParticipant.sessionId}`).sort()
    expect(steps[0]).toBe('joined')
    expect(steps.slice(1).sort()).toEqual(present)
    for (const m of [alice, bob, carol]) m.dispose()
  })
})

describe('keysAhead', () => {
  const key = (n: number) => ({ publicJwk: { kty: 'EC', crv: 'P-256', x: `${n}`, y: `${n}` } }) as SessionKey

  it('makes one key ahead, and the next as each is taken: one key per session', async () => {
    let made = 0
    const take = keysAhead(async () => key(++made))
    expect(made).toBe(1)
    expect((await take()).publicJwk.x).toBe('1')
    expect(made).toBe(2)
    expect((await take()).publicJwk.x).toBe('2')
  })

  it('makes a key again when the one made ahead failed, so the join gets a failure of its own time', async () => {
    let calls = 0
    const take = keysAhead(async () => {
      calls += 1
      if (calls === 1) throw new Error('no WebCrypto yet')
      return key(calls)
    })
    const first = await take()
    expect(first.publicJwk.x).not.toBe('1')
    expect(calls).toBeGreaterThanOrEqual(2)
  })
})
