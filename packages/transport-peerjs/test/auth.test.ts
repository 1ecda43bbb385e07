import './support/webrtc.js'
import type { PublicJwk, Transport } from '@convene/core'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type AuthWorld, ownKey, roster, startAuthWorld, type Tracked } from './support/authWorld.js'
import { waitFor } from './support/sessions.js'

const { createToken, generateSigningKey } = await import('@convene/server')
const { createPeerJSTransport } = await import('@convene/transport-peerjs')

const MEETING = 'standup'
let world: AuthWorld

beforeEach(async () => {
  world = await startAuthWorld()
  // The intruders run without `auth`, as a modified client would; their dev warning is noise here.
  vi.spyOn(console, 'warn').mockImplementation(() => {})
})

afterEach(async () => {
  await world.close()
  vi.restoreAllMocks()
})

/** Alice (host) and Bob over real WebRTC, with token functions, verifying peers against the JWKS URL. */
async function honestPair() {
  const alice = world.person('alice', 'host')
  const bob = world.person('bob', 'participant')
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

const refusedBy = (people: Tracked[], code: string) =>
  people.every((p) => p.errors.some((e) => e.code === code))

describe('auth over real WebRTC and a real server', () => {
  it("the PeerServer refuses a forged token and another meeting's, with the directory's reason; nobody hears of it", async () => {
    const { alice, bob, unchanged } = await honestPair()
    const forger = await generateSigningKey({ kid: world.signingKey.kid })
    const attempts = [
      [
        'a forged token',
        (publicKey: PublicJwk) =>
          createToken({ meetingId: MEETING, participantId: 'mallory', role: 'host', publicKey }, forger),
        401,
      ],
      [
        'a token for another meeting',
        (publicKey: PublicJwk) =>
          world.postToken({ meetingId: 'retro', participantId: 'mallory', role: 'host', publicKey }),
        403,
      ],
    ] as const
    for (const [label, forge, status] of attempts) {
      // Bound to mallory's own session key, so the signalling proof itself holds: the token is what fails.
      const mallory = world.track({
        participant: { id: 'mallory', role: 'host' },
        transport: createPeerJSTransport({ port: world.server.port }),
        token: ({ publicKey }) => forge(publicKey),
      })
      const error = await mallory.meeting.join().then(
        () => null,
        (e: { code?: string }) => e,
      )
      expect(error?.code, label).toBe('AUTH_FAILED')
      // The app hears why: the PeerServer's refusal, explained by the directory's answer.
      const reported = mallory.errors.find((e) => e.code === 'AUTH_FAILED')
      expect(reported?.message, label).toContain('PeerServer refused the signalling connection')
      expect(reported?.message, label).toContain(`HTTP ${status}`)
      expect(roster(mallory.meeting), label).toEqual([])
    }
    // Straight at the directory: no token, and another meeting's token.
    const url = `${world.server.url}/convene/rooms/${MEETING}`
    const retro = await world.postToken({ meetingId: 'retro', participantId: 'x', role: 'participant' })
    expect((await fetch(url)).status).toBe(401)
    expect((await fetch(url, { headers: { Authorization: `Bearer ${retro}` } })).status).toBe(403)
    await new Promise((resolve) => setTimeout(resolve, 1000))
    unchanged()
    expect([...alice.errors, ...bob.errors]).toEqual([])
  })

  it('a participant on the network under its own key, saying hello with a forged host token, is refused and cut off', async () => {
    const { alice, bob, unchanged } = await honestPair()
    const key = await ownKey()
    const internToken = await world.postToken({
      meetingId: MEETING,
      participantId: 'intern',
      role: 'participant',
      publicKey: key.publicKey,
    })
    const forger = await generateSigningKey({ kid: world.signingKey.kid })
    const forged = await createToken({ meetingId: MEETING, participantId: 'mallory', role: 'host' }, forger)
    const real = createPeerJSTransport({ port: world.server.port })
    // A modified client: registered with the PeerServer as the intern it really is, it says hello as
    // a host with the forged token. Its link events show the honest side closing the links.
    const links: { type: string; linkId: string }[] = []
    const insider: Transport = {
      name: 'insider',
      session(options) {
        const session = real.session({
          ...options,
          participantId: 'intern',
          token: internToken,
          sign: key.sign,
          freshToken: async () => internToken,
        })
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
    const mallory = world.track({
      participant: { id: 'mallory', role: 'host' },
      transport: insider,
      token: forged,
      // The server still lists alice and bob, whom mallory can no longer hear: by default that is 30 s of
      // silence allowed; the plain 3 s lets 'mallory alone' below come within the wait.
      connectedDepartureTimeoutMs: 3000,
    })
    await mallory.meeting.join()
    await waitFor(() => refusedBy([alice, bob], 'AUTH_FAILED'), 30_000, 'both refuse mallory')
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
    // No `auth` on her side, so her core does not check the role it was granted against the one it claims.
    const mallory = world.track({
      participant: { id: 'mallory', role: 'host' },
      transport: createPeerJSTransport({ port: world.server.port }),
      token: world.tokenFunction([], 'participant'),
    })
    await mallory.meeting.join()
    await waitFor(
      () => [alice, bob].every((p) => p.meeting.participants.get('mallory')?.role === 'participant'),
      30_000,
      'mallory admitted as participant',
    )
    // Her client believes it is host, so the END goes out on live links.
    await mallory.meeting.end()
    await waitFor(() => refusedBy([alice, bob], 'UNAUTHORIZED_COMMAND'), 30_000, 'END refused by both')
    await new Promise((resolve) => setTimeout(resolve, 1000))
    for (const p of [alice, bob]) expect(p.meeting.meetingState).toBe('CONNECTED')
    expect(alice.meeting.participants.has('bob')).toBe(true)
    expect(bob.meeting.participants.get('alice')?.role).toBe('host')
  })
})
