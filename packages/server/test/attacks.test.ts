import { type CreateMeetingOptions, createMeeting, type MeetingError, PROTOCOL_VERSION } from '@convene/core'
import {
  type ConveneServer,
  createToken,
  generateSigningKey,
  type SessionPublicKey,
  type SigningKey,
} from '@convene/server'
import { SignJWT } from 'jose'
import { describe, expect, it, vi } from 'vitest'
import { fetchToken } from './authSupport.js'
import { codes, eventually, fast, honestMeeting, MEETING, roster, settle, track } from './honestMeeting.js'

describe('tokens from the real createToken / POST /token, checked by core against the JWKS over HTTP', () => {
  it('honest participants meet, with roles from their tokens', async () => {
    const { unchanged, errors } = await honestMeeting()
    unchanged()
    expect(errors).toEqual({ alice: [], bob: [] })
  })

  type Token = CreateMeetingOptions['token']
  type Ctx = { signingKey: SigningKey; server: ConveneServer }
  /** A token function for mallory: each one gets mallory's session key, as a modified client would. */
  const bound =
    (make: (ctx: Ctx, publicKey: SessionPublicKey) => Promise<string>) =>
    (ctx: Ctx): Token =>
    (request) =>
      make(ctx, request.publicKey)

  it.each<[string, string, (ctx: Ctx) => Token | Promise<Token>, string]>([
    [
      'a forged token (right kid, wrong key)',
      'mallory',
      bound(async ({ signingKey }, publicKey) => {
        const forger = await generateSigningKey({ kid: signingKey.kid })
        return createToken({ meetingId: MEETING, participantId: 'mallory', role: 'host', publicKey }, forger)
      }),
      '',
    ],
    [
      'a token for another meeting',
      'mallory',
      bound(
        async ({ server }, publicKey) =>
          (
            await fetchToken(server, {
              meetingId: 'retro',
              participantId: 'mallory',
              role: 'host',
              publicKey,
            })
          ).token,
      ),
      '',
    ],
    [
      'an expired token',
      'mallory',
      // Signed with explicit past times: no fake clock while meetings run.
      bound(({ signingKey }, publicKey) => {
        const past = Math.floor(Date.now() / 1000) - 2 * 3600
        return new SignJWT({ role: 'host', cnf: { jwk: publicKey } })
          .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid: signingKey.kid })
          .setAudience(MEETING)
          .setSubject('mallory')
          .setIssuedAt(past)
          .setExpirationTime(past + 3600)
          .sign(signingKey.privateKey)
      }),
      '',
    ],
    [
      "a spoofed participant id (mallory's token, claiming to be carol)",
      'carol',
      bound(
        async ({ server }, publicKey) =>
          (
            await fetchToken(server, {
              meetingId: MEETING,
              participantId: 'mallory',
              role: 'participant',
              publicKey,
            })
          ).token,
      ),
      '',
    ],
    [
      "a spoofed participant id (mallory's token, claiming to be the host alice)",
      'alice',
      bound(
        async ({ server }, publicKey) =>
          (
            await fetchToken(server, {
              meetingId: MEETING,
              participantId: 'mallory',
              role: 'host',
              publicKey,
            })
          ).token,
      ),
      '',
    ],
    ['a garbage token', 'mallory', () => 'eyJhbGciOiJub25lIn0.e30.', ''],
    [
      'a valid bearer token (no key binding) from POST /token',
      'mallory',
      async ({ server }) =>
        (await fetchToken(server, { meetingId: MEETING, participantId: 'mallory', role: 'host' })).token,
      'bearer token',
    ],
  ])(
    'refuses %s: in no roster, honest rosters and states unchanged, AUTH_FAILED on both',
    async (_label, id, make, why) => {
      const ctx = await honestMeeting()
      const mallory = ctx.intruder(id, 'host', await make(ctx))
      await mallory.join().catch(() => {})
      // Her hello was handled once both refused it: nothing else of hers would count after that.
      for (const who of ['alice', 'bob'])
        await vi.waitFor(() => expect(codes(ctx.errors[who]!)).toContain('AUTH_FAILED'), eventually)
      ctx.unchanged()
      for (const who of ['alice', 'bob']) {
        const refusals = ctx.errors[who]!.filter((e) => e.code === 'AUTH_FAILED')
        expect(refusals.length).toBeGreaterThan(0)
        expect(refusals[0]!.details.participantId).toBe(id)
        if (why) expect(refusals[0]!.message).toContain(why)
      }
      // Refused peers are cut off, so the intruder sees nobody it could talk to for long.
      expect(codes(ctx.errors.alice!).every((c) => c === 'AUTH_FAILED')).toBe(true)
    },
  )

  it('refuses a self-declared host with no token at all', async () => {
    const ctx = await honestMeeting()
    const mallory = ctx.intruder('mallory', 'host', undefined)
    await mallory.join().catch(() => {})
    await vi.waitFor(() => expect(codes(ctx.errors.alice!)).toContain('AUTH_FAILED'), eventually)
    await vi.waitFor(() => expect(codes(ctx.errors.bob!)).toContain('AUTH_FAILED'), eventually)
    ctx.unchanged()
    await mallory.end().catch(() => {})
    await settle()
    ctx.unchanged()
  })

  it('a self-declared host holding a participant token is a participant: its END changes nothing', async () => {
    const ctx = await honestMeeting()
    const mallory = ctx.intruder(
      'mallory',
      'host',
      async ({ publicKey }) =>
        (
          await fetchToken(ctx.server, {
            meetingId: MEETING,
            participantId: 'mallory',
            role: 'participant',
            publicKey,
          })
        ).token,
    )
    await mallory.join()
    await vi.waitFor(() => expect(roster(ctx.alice)).toEqual(['bob', 'mallory']), { timeout: 5000 })
    await vi.waitFor(() => expect(roster(ctx.bob)).toEqual(['alice', 'mallory']), { timeout: 5000 })
    expect(ctx.alice.participants.get('mallory')?.role).toBe('participant')
    expect(ctx.bob.participants.get('mallory')?.role).toBe('participant')
    // Mallory's client believes it is host, so end() goes out on the wire.
    await mallory.end()
    // Each refuses her END, then sees her go (her END gets no ack: she leaves after leaveTimeoutMs).
    for (const honest of [ctx.alice, ctx.bob]) {
      const id = honest.localParticipant.id
      await vi.waitFor(() => expect(codes(ctx.errors[id]!)).toContain('UNAUTHORIZED_COMMAND'), eventually)
      await vi.waitFor(() => expect(roster(honest)).not.toContain('mallory'), eventually)
    }
    expect(ctx.alice.meetingState).toBe('CONNECTED')
    expect(ctx.bob.meetingState).toBe('CONNECTED')
    expect(roster(ctx.alice)).toEqual(['bob'])
    expect(roster(ctx.bob)).toEqual(['alice'])
    expect(ctx.alice.participants.get('bob')?.role).toBe('participant')
  })

  it("a non-host's REMOVE, and the host's END replayed or relayed by a non-host, change nothing", async () => {
    const ctx = await honestMeeting()
    const carol = await ctx.person('carol', 'participant')
    await carol.join()
    await vi.waitFor(() => expect(roster(ctx.bob)).toEqual(['alice', 'carol']), { timeout: 5000 })
    const carolSession = carol.localParticipant.sessionId
    const aliceSession = ctx.alice.localParticipant.sessionId
    const bobSession = ctx.bob.localParticipant.sessionId
    const carolSays = (seq: number, body: Record<string, unknown>) =>
      ctx.network.inject(
        bobSession,
        { v: PROTOCOL_VERSION, session: carolSession, seq, ...body },
        carolSession,
      )
    carolSays(700, { type: 'remove', origin: carolSession, target: 'alice' })
    carolSays(701, { type: 'remove', origin: carolSession, target: 'bob' })
    // The host's END, captured and replayed verbatim on carol's link.
    ctx.network.inject(
      bobSession,
      { v: PROTOCOL_VERSION, session: aliceSession, seq: 900, type: 'end', origin: aliceSession },
      carolSession,
    )
    // The same END passed on by carol under her own session: with auth, relays do not count.
    carolSays(702, { type: 'end', origin: aliceSession })
    // Handled in order: the last of them is refused after the others.
    await vi.waitFor(
      () => expect(codes(ctx.errors.bob!).filter((c) => c === 'UNAUTHORIZED_COMMAND')).toHaveLength(3),
      eventually,
    )
    expect(ctx.bob.meetingState).toBe('CONNECTED')
    expect(roster(ctx.bob)).toEqual(['alice', 'carol'])
    expect(ctx.alice.meetingState).toBe('CONNECTED')
    expect(roster(ctx.alice)).toEqual(['bob', 'carol'])
    expect(codes(ctx.errors.bob!).filter((c) => c === 'UNAUTHORIZED_COMMAND')).toHaveLength(3)
    // carol's honest API is refused locally, before anything is sent.
    expect(((await carol.removeParticipant('alice').catch((e) => e)) as MeetingError).code).toBe(
      'REMOVE_NOT_ALLOWED',
    )
    // And the real host still can.
    await ctx.alice.removeParticipant('carol')
    await vi.waitFor(() => expect(roster(ctx.bob)).toEqual(['alice']), { timeout: 5000 })
  })

  it('join() with our own token for another role or meeting rejects AUTH_FAILED, before any hello', async () => {
    const ctx = await honestMeeting()
    const token: CreateMeetingOptions['token'] = async ({ publicKey }) =>
      (
        await fetchToken(ctx.server, {
          meetingId: MEETING,
          participantId: 'dave',
          role: 'participant',
          publicKey,
        })
      ).token
    const dave = createMeeting({
      meetingId: MEETING,
      participant: { id: 'dave', role: 'host' },
      transport: ctx.network.transport(),
      token,
      auth: { jwks: ctx.server.jwksUrl! },
      ...fast,
    })
    track(dave)
    expect(((await dave.join().catch((e) => e)) as MeetingError).code).toBe('AUTH_FAILED')
    expect(ctx.network.sessions(MEETING).filter((s) => s.participantId === 'dave')).toEqual([])
    ctx.unchanged()
  })
})
