/**
 * What a session presents of itself in its relay handshake (name, role, joinedAt, media) is read with
 * the same field readers as a hello (`@convene/core/wire`): a bad field is refused with
 * `INVALID_MESSAGE` naming it, and never registers the session.
 */
import { RELAY_PROTOCOL_VERSION } from '@convene/core/wire'
import { type ConveneServer, createConveneServer } from '@convene/server'
import { io, type Socket } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { peerIdIn } from './helpers.js'

let server: ConveneServer
const sockets: Socket[] = []

beforeAll(async () => {
  server = await createConveneServer({ logger: 'silent' })
})
afterAll(async () => {
  for (const socket of sockets) socket.disconnect()
  await server.close()
})

/** Connects with `auth` and resolves the welcome's peers, or the refusal's `data`. */
function handshake(auth: Record<string, unknown>): Promise<{ welcome: unknown[] } | { refused: unknown }> {
  const socket = io(server.url, {
    path: server.relayPath!,
    transports: ['websocket'],
    auth: { protocol: RELAY_PROTOCOL_VERSION, ...auth },
    reconnection: false,
    forceNew: true,
  })
  sockets.push(socket)
  return new Promise((resolve) => {
    // The others: the welcome lists the session itself too.
    socket.once('welcome', ({ peers }: { peers: Array<{ address: string }> }) =>
      resolve({ welcome: peers.filter((peer) => peer.address !== auth.address) }),
    )
    socket.once('connect_error', (error: Error & { data?: unknown }) => resolve({ refused: error.data }))
  })
}

describe('the relay handshake: what a session presents of itself', () => {
  it.each<[string, Record<string, unknown>, string]>([
    ['a name over 256 characters', { name: 'x'.repeat(257) }, '`auth.name` must be 1-256 characters'],
    ['a name that is not text', { name: 42 }, '`auth.name` must be a string'],
    ['a role of its own making', { role: 'admin' }, '`auth.role` must be "host" or "participant"'],
    ['a start time before the epoch', { joinedAt: -1 }, '`auth.joinedAt` must be an integer >= 0'],
    ['a start time that is no integer', { joinedAt: 1.5 }, '`auth.joinedAt` must be an integer >= 0'],
    ['media without the camera', { media: { mic: true } }, '`auth.media.webcam` must be a boolean'],
    ['media that is no object', { media: 'on' }, '`auth.media` must be an object'],
  ])('refuses %s with INVALID_MESSAGE naming the field', async (_label, presented, error) => {
    const address = peerIdIn('handshake-room', `p${sockets.length}`)
    expect(await handshake({ address, ...presented })).toEqual({
      refused: { code: 'INVALID_MESSAGE', error },
    })
  })

  it('takes an empty name (the participant id stands in) and copies only the known fields', async () => {
    const ada = peerIdIn('handshake-ok', 'ada')
    await handshake({ address: ada, name: '', joinedAt: 7, media: { mic: false, webcam: true, extra: 1 } })
    const { welcome } = (await handshake({ address: peerIdIn('handshake-ok', 'bob') })) as {
      welcome: unknown[]
    }
    expect(welcome).toEqual([
      expect.objectContaining({
        address: ada,
        name: 'ada',
        joinedAt: 7,
        media: { mic: false, webcam: true },
      }),
    ])
  })
})
