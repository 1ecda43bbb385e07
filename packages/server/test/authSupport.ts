import { DIRECTORY_PROOF_HEADER } from '@convene/core/wire'
import {
  type ConveneServer,
  type ConveneServerAuth,
  type ConveneServerOptions,
  createConveneServer,
  createDirectoryProof,
  generateSigningKey,
  type SessionPublicKey,
  type SigningKey,
  type TokenResponse,
} from '@convene/server'

export interface AuthServer {
  server: ConveneServer
  signingKey: SigningKey
  /** Every request `authorize` saw. */
  asked: { meetingId: string; participantId: string; role: string }[]
}

/** A server with auth on; by default `authorize` grants what is asked. */
export async function startAuthServer(
  auth: Partial<ConveneServerAuth> = {},
  options: ConveneServerOptions = {},
): Promise<AuthServer> {
  const signingKey = auth.signingKey ?? (await generateSigningKey())
  const asked: AuthServer['asked'] = []
  const server = await createConveneServer({
    ...options,
    auth: {
      signingKey,
      ...auth,
      authorize: (request) => {
        asked.push({ meetingId: request.meetingId, participantId: request.participantId, role: request.role })
        return auth.authorize ? auth.authorize(request) : true
      },
    },
  })
  return { server, signingKey, asked }
}

/** `POST /token` as a browser would send it. */
export function postToken(server: ConveneServer, body: unknown, headers: Record<string, string> = {}) {
  return fetch(server.tokenUrl!, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

/** A token from the server's endpoint; throws unless it answered 200. */
export async function fetchToken(
  server: ConveneServer,
  body: {
    meetingId: string
    participantId: string
    role: 'host' | 'participant'
    publicKey?: SessionPublicKey
  },
): Promise<TokenResponse> {
  const response = await postToken(server, body)
  if (response.status !== 200) throw new Error(`POST /token answered ${response.status}`)
  return (await response.json()) as TokenResponse
}

/** Who signs a directory proof: a session key and the peer id it lists as. */
export interface ProofSigner {
  sign: (data: string) => Promise<string>
  peerId: string
  ts?: number
}

/**
 * `GET` the room directory with `token` as `Authorization: Bearer` and, with `proof`, a
 * `Convene-Proof` header (a fresh one signed by a {@link ProofSigner}, or a value as is); resolves with
 * the status and the JSON body.
 */
export async function getRoom(
  server: ConveneServer,
  meetingId: string,
  token?: string,
  proof?: ProofSigner | string,
) {
  const headers: Record<string, string> = token === undefined ? {} : { Authorization: `Bearer ${token}` }
  if (proof !== undefined) {
    headers[DIRECTORY_PROOF_HEADER] =
      typeof proof === 'string' ? proof : await createDirectoryProof({ meetingId, ...proof })
  }
  const response = await fetch(`${server.url}/convene/rooms/${encodeURIComponent(meetingId)}`, { headers })
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, response }
}
