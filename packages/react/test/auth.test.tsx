import { createMeeting, createMemoryNetwork, type Meeting, type MeetingError } from '@convene/core'
import { act, waitFor } from '@testing-library/react'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import { expect, it } from 'vitest'
import { MeetingProvider, useMeeting, useMeetingInstance } from '../src/index.js'
import {
  describeEachReactMode,
  fast,
  quietMs,
  recordingTransport,
  remoteParticipant,
  sleep,
} from './utils.js'

/** An app backend's signing key: ES256 tokens with the claims `@convene/server`'s createToken signs. */
async function createIssuer() {
  const { privateKey, publicKey } = await generateKeyPair('ES256')
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256', use: 'sig', kid: 'k' }] }
  const signed = (
    participantId: string,
    role: 'host' | 'participant',
    meetingId: string,
    publicKey?: object,
  ) =>
    new SignJWT({ role, ...(publicKey ? { cnf: { jwk: publicKey } } : {}) })
      .setProtectedHeader({ alg: 'ES256', kid: 'k' })
      .setAudience(meetingId)
      .setSubject(participantId)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey)
  /** A token function, as apps pass it: each session's key is bound into its token. */
  const token =
    (participantId: string, role: 'host' | 'participant', meetingId = 'secure') =>
    (request: { publicKey: object }) =>
      signed(participantId, role, meetingId, request.publicKey)
  return { jwks, token, signed }
}

interface Seen {
  meeting?: Meeting
  errors: MeetingError[]
}

function View({ seen }: { seen: Seen }) {
  seen.meeting = useMeetingInstance()
  useMeeting({ onError: (error) => seen.errors.push(error) })
  return null
}

describeEachReactMode('MeetingProvider with token and auth', ({ render }) => {
  it('hands the token to the meeting (and its transport) and peers see the role the token grants', async () => {
    const { jwks, token } = await createIssuer()
    const network = createMemoryNetwork()
    const { transport, sessions } = recordingTransport(network.transport())
    const aliceToken = token('alice', 'host')
    const issued: string[] = []
    const aliceTokens = async (request: { publicKey: object }) => {
      issued.push(await aliceToken(request))
      return issued.at(-1)!
    }
    const seen: Seen = { errors: [] }
    render(
      <MeetingProvider
        config={{
          meetingId: 'secure',
          participant: { id: 'alice', role: 'host' },
          token: aliceTokens,
          auth: { jwks },
          ...fast,
        }}
        transport={transport}
        joinOnMount
      >
        <View seen={seen} />
      </MeetingProvider>,
    )
    const bob = remoteParticipant({
      meetingId: 'secure',
      participant: { id: 'bob' },
      transport: network.transport(),
      token: token('bob', 'participant'),
      auth: { jwks },
    })
    await act(() => bob.meeting.join())
    await waitFor(() => expect(bob.meeting.participants.get('alice')?.role).toBe('host'))
    await waitFor(() => expect(seen.meeting?.participants.has('bob')).toBe(true))
    expect(sessions.map((s) => s.token)).toEqual(issued)
    expect(issued).toHaveLength(1)
    expect(seen.errors).toEqual([])
  })

  it("verifies peers with the provider's auth: an intruder without a valid token is refused and reported", async () => {
    const { jwks, token } = await createIssuer()
    const network = createMemoryNetwork()
    const seen: Seen = { errors: [] }
    render(
      <MeetingProvider
        config={{
          meetingId: 'secure',
          participant: { id: 'alice', role: 'host' },
          token: token('alice', 'host'),
          auth: { jwks },
          ...fast,
        }}
        transport={network.transport()}
        joinOnMount
      >
        <View seen={seen} />
      </MeetingProvider>,
    )
    await waitFor(() => expect(seen.meeting?.meetingState).toBe('CONNECTED'))
    const forger = await createIssuer()
    const mallory = createMeeting({
      meetingId: 'secure',
      participant: { id: 'mallory', role: 'host' },
      transport: network.transport(),
      token: await forger.signed('mallory', 'host', 'secure'),
      ...fast,
    })
    await act(() => mallory.join())
    await waitFor(() => expect(seen.errors.map((e) => e.code)).toContain('AUTH_FAILED'))
    await act(() => sleep(quietMs))
    expect(seen.meeting?.participants.size).toBe(0)
    expect(seen.meeting?.meetingState).toBe('CONNECTED')
    mallory.dispose()
  })

  it("checks the provider's own token at join: one granting another role is refused and nothing is opened", async () => {
    const { jwks, token } = await createIssuer()
    const network = createMemoryNetwork()
    const { transport, sessions } = recordingTransport(network.transport())
    const seen: Seen = { errors: [] }
    render(
      <MeetingProvider
        config={{
          meetingId: 'secure',
          participant: { id: 'eve', role: 'host' },
          token: token('eve', 'participant'),
          auth: { jwks },
          ...fast,
        }}
        transport={transport}
      >
        <View seen={seen} />
      </MeetingProvider>,
    )
    const error = (await act(() =>
      seen.meeting!.join().then(
        () => null,
        (e: MeetingError) => e,
      ),
    )) as MeetingError | null
    expect(error?.code).toBe('AUTH_FAILED')
    expect(sessions).toEqual([])
    expect(seen.meeting?.meetingState).toBe('DISCONNECTED')
  })
})
