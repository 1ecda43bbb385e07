/**
 * The one pipeline behind every door that admits a session by token and proof of possession, called
 * here as a third door would call it (a payload of its own, the session named up front).
 */
import { createToken, generateSigningKey } from '@convene/server'
import { describe, expect, it } from 'vitest'
import { createProofLedger } from '../src/proof/proofLedger.js'
import { type BoundProofRequest, createBoundProofVerifier } from '../src/proof/verifyBoundProof.js'
import { createSessionKey } from './sessionKey.js'

/** A payload of a door of its own: a first line no other proof has, then what it binds. */
const doorPayload = (sessionId: string, ts: number) => `convene-test-door-v1\n${sessionId}\n${ts}`

async function door(maxEntries?: number) {
  const signingKey = await generateSigningKey()
  const session = await createSessionKey()
  const clock = { now: 1_800_000_000_000 }
  const ledger = createProofLedger({
    windowMs: 120_000,
    now: () => clock.now,
    ...(maxEntries === undefined ? {} : { maxEntries }),
  })
  const verify = createBoundProofVerifier({ keys: [signingKey.publicJwk], ledger, now: () => clock.now })
  const tokenFor = (claims: { meetingId?: string; participantId?: string; bound?: boolean } = {}) =>
    createToken(
      {
        meetingId: claims.meetingId ?? 'standup',
        participantId: claims.participantId ?? 'ada',
        role: 'host',
        ...(claims.bound === false ? {} : { publicKey: session.publicJwk }),
      },
      signingKey,
    )
  /** A request for session `s1` of Ada in standup, signed now by Ada's key. */
  const request = async (overrides: Partial<BoundProofRequest> = {}, ts = clock.now) => ({
    token: await tokenFor(),
    meetingId: 'standup',
    participantId: 'ada',
    proof: { ts, payload: doorPayload('s1', ts), signature: await session.sign(doorPayload('s1', ts)) },
    ...overrides,
  })
  return { verify, request, tokenFor, clock, session }
}

describe('verifyBoundProof', () => {
  it("accepts a bound token with its key's proof once, and says who it names", async () => {
    const { verify, request, session } = await door()
    const req = await request()
    expect(await verify(req)).toMatchObject({
      ok: true,
      participantId: 'ada',
      role: 'host',
      key: session.publicJwk,
    })
    expect(await verify(req)).toEqual({
      ok: false,
      status: 401,
      code: 'INVALID_PROOF',
      error: 'the proof was already used',
    })
  })

  it.each<[string, (d: Awaited<ReturnType<typeof door>>) => Promise<BoundProofRequest>, object]>([
    ['a garbage token', async (d) => d.request({ token: 'a.b.c' }), { status: 401, code: 'UNAUTHORIZED' }],
    [
      "another meeting's token",
      async (d) => d.request({ token: await d.tokenFor({ meetingId: 'retro' }) }),
      { status: 403, code: 'FORBIDDEN' },
    ],
    [
      "another participant's token",
      async (d) => d.request({ token: await d.tokenFor({ participantId: 'bob' }) }),
      { status: 403, code: 'FORBIDDEN' },
    ],
    [
      'a bearer token where bearer tokens are not allowed',
      async (d) => d.request({ token: await d.tokenFor({ bound: false }) }),
      { status: 401, code: 'UNAUTHORIZED', error: 'the token is not bound to a session key (cnf.jwk)' },
    ],
    [
      'no proof',
      async (d) => d.request({ proof: { missing: 'no proof here' } }),
      { status: 401, code: 'INVALID_PROOF', error: 'no proof here' },
    ],
    [
      'a proof signed by another key',
      async (d) => {
        const other = await createSessionKey()
        const ts = d.clock.now
        return d.request({
          proof: { ts, payload: doorPayload('s1', ts), signature: await other.sign(doorPayload('s1', ts)) },
        })
      },
      { code: 'INVALID_PROOF', error: 'the signature does not hold' },
    ],
    [
      'a proof for another session than the request names (a changed payload)',
      async (d) => {
        const ts = d.clock.now
        const signature = await d.session.sign(doorPayload('s1', ts))
        return d.request({ proof: { ts, payload: doorPayload('s2', ts), signature } })
      },
      { code: 'INVALID_PROOF', error: 'the signature does not hold' },
    ],
    [
      'a proof speaking for another participant',
      async (d) => {
        const req = await d.request()
        return {
          ...req,
          proof: { ...req.proof, holder: { meetingId: 'standup', participantId: 'bob', sessionId: 's1' } },
        }
      },
      { code: 'INVALID_PROOF', error: "the proof's peer id is not the token's meeting and participant" },
    ],
    [
      'a proof 121 s old',
      async (d) => d.request({}, d.clock.now - 121_000),
      { code: 'INVALID_PROOF', error: 'the proof is stale' },
    ],
  ])('refuses %s, and changes nothing', async (_label, build, expected) => {
    const d = await door()
    expect(await d.verify(await build(d))).toMatchObject({ ok: false, ...expected })
    expect(await d.verify(await d.request())).toMatchObject({ ok: true })
  })

  it('takes a bearer token on its own where the door allows it, and answers 503 once the ledger is full', async () => {
    const d = await door(1)
    const bearer = await d.verify({
      ...(await d.request()),
      token: await d.tokenFor({ bound: false }),
      allowBearer: true,
    })
    expect(bearer).toMatchObject({ ok: true, key: null })
    expect(await d.verify(await d.request())).toMatchObject({ ok: true })
    expect(await d.verify(await d.request({}, d.clock.now + 1))).toMatchObject({
      ok: false,
      status: 503,
      code: 'BUSY',
    })
  })
})
