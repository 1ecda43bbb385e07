import { createPeerId } from '@convene/core/wire'
import { type ConveneServer, createSignallingToken } from '@convene/server'
import { afterEach } from 'vitest'
import WebSocket from 'ws'
import { postToken } from './authSupport.js'
import type { SessionKey } from './sessionKey.js'

/** A Convene peer id for one session of `participantId` in `meetingId`. */
export function peerIdOf(meetingId: string, participantId: string, sessionId = 's1'): string {
  return createPeerId(meetingId, participantId, sessionId)
}

/** A random 22-character base64url secret, as a client keeps one for its whole session. */
export const newSecret = () => Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url')

/** A token bound to `session` from the server's real `POST /token`. */
export async function boundToken(
  server: ConveneServer,
  session: SessionKey,
  meetingId: string,
  participantId: string,
): Promise<string> {
  const response = await postToken(server, {
    meetingId,
    participantId,
    role: 'participant',
    publicKey: session.publicJwk,
  })
  if (response.status !== 200) throw new Error(`POST /token answered ${response.status}`)
  return ((await response.json()) as { token: string }).token
}

/** What PeerServer's WebSocket answered first: PeerJS's first message, or the HTTP refusal. */
export type SignallingOutcome =
  | { kind: 'message'; type: string; socket: WebSocket }
  | { kind: 'refused'; status: number; body: string }

/**
 * Opens a signalling WebSocket exactly as PeerJS does, with `token` as the query's token (if any), and
 * resolves with PeerServer's first message, or with the HTTP refusal. With `until: 'open'` it resolves
 * (type `'upgraded'`) as soon as the upgrade succeeds: PeerServer sends nothing when the same client
 * takes its id over on a new socket.
 */
export function openSignalling(
  server: ConveneServer,
  peerId: string,
  token: string | undefined,
  until: 'message' | 'open' = 'message',
): Promise<SignallingOutcome> {
  const query = new URLSearchParams({ key: 'peerjs', id: peerId, ...(token === undefined ? {} : { token }) })
  const socket = new WebSocket(`${server.url.replace('http', 'ws')}${server.path}/peerjs?${query}`)
  return new Promise((resolve, reject) => {
    if (until === 'open') socket.once('open', () => resolve({ kind: 'message', type: 'upgraded', socket }))
    socket.once('unexpected-response', (_req, res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => {
        body += chunk
      })
      res.on('end', () => resolve({ kind: 'refused', status: res.statusCode ?? 0, body }))
    })
    socket.once('error', reject)
    socket.once('message', (data) => {
      const { type } = JSON.parse(String(data)) as { type: string }
      resolve({ kind: 'message', type, socket })
    })
  })
}

/** Connects with a fresh proof of possession (a new secret unless given). */
export async function connectProven(
  server: ConveneServer,
  options: {
    peerId: string
    token: string
    session: SessionKey
    secret?: string
    ts?: number
  },
  until: 'message' | 'open' = 'message',
): Promise<SignallingOutcome> {
  const secret = options.secret ?? newSecret()
  const value = await createSignallingToken({
    peerId: options.peerId,
    secret,
    token: options.token,
    sign: options.session.sign,
    ...(options.ts === undefined ? {} : { ts: options.ts }),
  })
  return openSignalling(server, options.peerId, value, until)
}

/**
 * The servers and sockets a signalling test file opens, closed after each of its tests (call once at
 * the top of the file: the hook joins that file).
 */
export function closedAfterEach(): { servers: ConveneServer[]; sockets: WebSocket[] } {
  const servers: ConveneServer[] = []
  const sockets: WebSocket[] = []
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.terminate()
    await Promise.all(servers.splice(0).map((s) => s.close()))
  })
  return { servers, sockets }
}
