import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import {
  type CreateMeetingOptions,
  createMeeting,
  type Meeting,
  type MeetingError,
  type MemoryNetwork,
  type ParticipantRole,
} from '../../src/index.js'

/** An app backend's signing key, for tests: signs ES256 tokens as `@convene/server` does. */
export async function createTestIssuer() {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
  const jwk = { ...(await exportJWK(publicKey)), alg: 'ES256', use: 'sig', kid: 'test' }
  const issuer = {
    jwks: { keys: [jwk] },
    async token(claims: {
      meetingId: string
      participantId: string
      role: 'host' | 'participant'
      expiresIn?: string | number
      publicKey?: object
    }) {
      return new SignJWT({
        role: claims.role,
        ...(claims.publicKey ? { cnf: { jwk: claims.publicKey } } : {}),
      })
        .setProtectedHeader({ alg: 'ES256', kid: 'test' })
        .setAudience(claims.meetingId)
        .setSubject(claims.participantId)
        .setIssuedAt()
        .setExpirationTime(claims.expiresIn ?? '1h')
        .sign(privateKey)
    },
  }
  return {
    ...issuer,
    /** A token function, as apps pass to `createMeeting`: binds each session's key into the token. */
    provider(claims: Omit<Parameters<typeof issuer.token>[0], 'publicKey'>) {
      return (request: { publicKey: object }) => issuer.token({ ...claims, publicKey: request.publicKey })
    },
  }
}

/**
 * People of the meeting `standup` on `network`, each verifying peers with `issuer` and holding a token
 * function for its own id and role (`extra.token` for another), every error event kept under its id.
 */
export function verifiedPeople(
  issuer: Awaited<ReturnType<typeof createTestIssuer>>,
  network: MemoryNetwork,
  timing: Partial<CreateMeetingOptions>,
  meetings: Meeting[] = [],
) {
  const errors: Record<string, MeetingError[]> = {}
  const person = (id: string, role: ParticipantRole, extra: Partial<CreateMeetingOptions> = {}) => {
    const meeting = createMeeting({
      meetingId: 'standup',
      participant: { id, role },
      transport: network.transport(),
      token: issuer.provider({ meetingId: 'standup', participantId: id, role }),
      auth: { jwks: issuer.jwks },
      ...timing,
      ...extra,
    })
    errors[id] = []
    meeting.on('error', (error) => errors[id]?.push(error))
    meetings.push(meeting)
    return meeting
  }
  return { person, errors, meetings }
}
