/**
 * A real `@convene/server` with auth (tokens bound to session keys, signalling proofs checked) and
 * meetings over this transport whose tokens come from its real `POST /token`, as an app's would.
 */
import type {
  CreateMeetingOptions,
  Meeting,
  MeetingError,
  ParticipantRole,
  PublicJwk,
  TokenProviderRequest,
  Transport,
  TransportSessionOptions,
} from '@convene/core'
import type { ConveneServer, SigningKey, TokenResponse } from '@convene/server'
import { waitFor } from './sessions.js'

const { createMeeting } = await import('@convene/core')
const { createConveneServer, generateSigningKey } = await import('@convene/server')
const { createPeerJSTransport } = await import('@convene/transport-peerjs')

export const MEETING = 'standup'
export const timing = { heartbeatIntervalMs: 500, departureTimeoutMs: 2500, leaveTimeoutMs: 500 }

export interface Tracked {
  meeting: Meeting
  errors: MeetingError[]
  /** What the token function was asked, in order. */
  requests: TokenProviderRequest[]
}

export const roster = (m: Meeting) => [...m.participants.keys()].sort()

/** The claims of a JWT, read without verifying (tests only look). */
export function claimsOf(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Record<string, unknown>
}

/** A session key of a modified client: WebCrypto P-256, signing as core's `sign` does. */
export async function ownKey() {
  const { privateKey, publicKey } = await crypto.subtle.generateKey(
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign', 'verify'],
  )
  const { x, y } = await crypto.subtle.exportKey('jwk', publicKey)
  return {
    publicKey: { kty: 'EC' as const, crv: 'P-256' as const, x: x!, y: y! },
    sign: async (data: string) =>
      Buffer.from(
        await crypto.subtle.sign(
          { name: 'ECDSA', hash: 'SHA-256' },
          privateKey,
          new TextEncoder().encode(data),
        ),
      ).toString('base64url'),
  }
}

export interface AuthWorld {
  readonly server: ConveneServer
  signingKey: SigningKey
  /** `POST /token` as an app's front end calls it; `role` overrides what is asked for. */
  postToken(request: Omit<TokenProviderRequest, 'publicKey'> & { publicKey?: PublicJwk }): Promise<string>
  /** An app's token function over `postToken`, recording each request in `requests`. */
  tokenFunction(
    requests: TokenProviderRequest[],
    role?: ParticipantRole,
  ): (r: TokenProviderRequest) => Promise<string>
  /** An honest participant: token function, verifies every peer against the server's JWKS URL. */
  person(id: string, role: ParticipantRole, overrides?: Partial<CreateMeetingOptions>): Tracked
  /** A meeting created as given (intruders), tracked for errors and disposal. */
  track(options: Omit<CreateMeetingOptions, 'meetingId'> & { meetingId?: string }): Tracked
  /** Alice (host), Bob and Carol, joined one after the other and all seeing each other. */
  honestRoom(carolTransport?: Transport): Promise<{ alice: Tracked; bob: Tracked; carol: Tracked }>
  /** Stops the server and starts it again on the same port with the same signing key. */
  restartServer(downMs: number): Promise<void>
  close(): Promise<void>
}

export async function startAuthWorld(options: { expiresIn?: number } = {}): Promise<AuthWorld> {
  const signingKey = await generateSigningKey()
  const auth = { signingKey, authorize: () => true, ...options }
  let server = await createConveneServer({ auth })
  const meetings: Meeting[] = []
  const transport = createPeerJSTransport({ port: server.port, reconnect: 200 })

  const postToken: AuthWorld['postToken'] = async (request) => {
    const response = await fetch(`${server.url}/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(request),
    })
    if (response.status !== 200) throw new Error(`POST /token answered ${response.status}`)
    return ((await response.json()) as TokenResponse).token
  }
  const tokenFunction: AuthWorld['tokenFunction'] = (requests, role) => (request) => {
    requests.push(request)
    return postToken({ ...request, ...(role ? { role } : {}) })
  }
  const track: AuthWorld['track'] = (options) => {
    const errors: MeetingError[] = []
    const meeting = createMeeting({ meetingId: MEETING, ...timing, ...options })
    meeting.on('error', (error) => errors.push(error))
    meetings.push(meeting)
    return { meeting, errors, requests: [] }
  }
  const person: AuthWorld['person'] = (id, role, overrides = {}) => {
    const requests: TokenProviderRequest[] = []
    const tracked = track({
      participant: { id, role },
      transport,
      token: tokenFunction(requests),
      auth: { jwks: server.jwksUrl! },
      ...overrides,
    })
    return { ...tracked, requests }
  }
  return {
    get server() {
      return server
    },
    signingKey,
    postToken,
    tokenFunction,
    person,
    track,
    async honestRoom(carolTransport) {
      const alice = person('alice', 'host')
      const bob = person('bob', 'participant')
      const carol = person('carol', 'participant', carolTransport ? { transport: carolTransport } : {})
      for (const p of [alice, bob, carol]) await p.meeting.join()
      const all = [alice, bob, carol]
      await waitFor(() => all.every((p) => p.meeting.participants.size === 2), 30_000, 'a room of three')
      return { alice, bob, carol }
    },
    async restartServer(downMs) {
      const { port } = server
      await server.close()
      await new Promise((resolve) => setTimeout(resolve, downMs))
      server = await createConveneServer({ port, auth })
    },
    async close() {
      for (const m of meetings.splice(0)) m.dispose()
      await server.close()
    },
  }
}

/**
 * A modified client's transport: hands every hello it receives to `hellos` and its own session
 * options (token, `sign`) to `sessions`, as any participant's code could.
 */
export function sniffing(
  inner: Transport,
  hellos: Record<string, unknown>[],
  sessions: TransportSessionOptions[],
): Transport {
  return {
    name: 'sniffing',
    session(options) {
      sessions.push(options)
      const session = inner.session(options)
      return {
        ...session,
        events: {
          subscribe: (observer) =>
            session.events.subscribe({
              ...observer,
              next(event) {
                const data = event.type === 'message' ? (event.data as Record<string, unknown>) : null
                if (data?.type === 'hello') hellos.push(data)
                observer.next?.(event)
              },
            }),
        },
      }
    },
  }
}
