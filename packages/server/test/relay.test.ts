/**
 * The Socket.IO relay as a hostile client sees it: it registers a session only with a valid token and
 * a fresh proof of possession, refuses with `{ code, error }` (never a stack), never lets a socket send
 * as another session, and survives malformed input.
 */
import {
  type ConveneServer,
  createConveneServer,
  createToken,
  generateSigningKey,
  relayPayload,
} from '@convene/server'
import { io, type Socket } from 'socket.io-client'
import { afterEach, describe, expect, it } from 'vitest'
import { peerIdIn } from './helpers.js'
import { createSessionKey, type SessionKey } from './sessionKey.js'

const MEETING = 'relay-room'
let server: ConveneServer | undefined
const sockets: Socket[] = []

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect()
  await server?.close()
  server = undefined
})

function connect(auth: Record<string, unknown>): Socket {
  const socket = io(server!.url, {
    path: server!.relayPath!,
    transports: ['websocket'],
    auth,
    reconnection: false,
    forceNew: true,
  })
  sockets.push(socket)
  return socket
}

/** Resolves `'connected'` or the refusal's `{ code, error }` (with what else the error carried). */
function outcome(socket: Socket): Promise<unknown> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve('connected'))
    socket.once('connect_error', (error: Error & { data?: unknown }) =>
      resolve({ data: error.data, message: error.message }),
    )
  })
}

const next = <T>(socket: Socket, event: string) =>
  new Promise<T>((resolve) => socket.once(event, (value: T) => resolve(value)))

async function proofFor(key: SessionKey, token: string, address: string, ts = Date.now()): Promise<string> {
  return `${token}~${ts}~${await key.sign(relayPayload(address, ts))}`
}

describe('the Socket.IO relay with auth', () => {
  async function start() {
    const signingKey = await generateSigningKey()
    server = await createConveneServer({ auth: { signingKey, authorize: () => true }, logger: 'silent' })
    const member = async (participantId: string) => {
      const key = await createSessionKey()
      const token = await createToken(
        { meetingId: MEETING, participantId, role: 'participant', publicKey: key.publicJwk },
        signingKey,
      )
      const address = peerIdIn(MEETING, participantId)
      return { key, token, address }
    }
    return { signingKey, member }
  }

  it('registers only with a valid token and a fresh proof by its key; refusals are { code, error }', async () => {
    const { member } = await start()
    const ada = await member('ada')
    const bob = await member('bob')
    expect(await outcome(connect({ address: ada.address }))).toMatchObject({ data: { code: 'UNAUTHORIZED' } })
    expect(await outcome(connect({ address: 'not-a-peer-id', proof: 'x' }))).toMatchObject({
      data: { code: 'INVALID_ADDRESS' },
    })
    expect(await outcome(connect({ address: ada.address, proof: 'a~b~c' }))).toMatchObject({
      data: { code: 'INVALID_PROOF' },
    })
    // Bob's token and key cannot register Ada's address.
    expect(
      await outcome(
        connect({ address: ada.address, proof: await proofFor(bob.key, bob.token, ada.address) }),
      ),
    ).toMatchObject({
      data: {
        code: 'UNAUTHORIZED',
        error: 'the token is for another meeting or participant than the address',
      },
    })
    // Ada's token with another key (a stolen token) is worth nothing.
    expect(
      await outcome(
        connect({ address: ada.address, proof: await proofFor(bob.key, ada.token, ada.address) }),
      ),
    ).toMatchObject({
      data: { code: 'INVALID_PROOF', error: 'the signature does not hold' },
    })
    const stale = await proofFor(ada.key, ada.token, ada.address, Date.now() - 10 * 60_000)
    expect(await outcome(connect({ address: ada.address, proof: stale }))).toMatchObject({
      data: { code: 'INVALID_PROOF', error: 'the proof is stale' },
    })
    const proof = await proofFor(ada.key, ada.token, ada.address)
    expect(await outcome(connect({ address: ada.address, proof }))).toBe('connected')
    // The very same handshake, replayed: refused.
    const replay = await outcome(connect({ address: ada.address, proof }))
    expect(replay).toMatchObject({ data: { code: 'INVALID_PROOF', error: 'the proof was already used' } })
    expect(JSON.stringify(replay)).not.toMatch(/at .+\.(ts|js):\d+/)
  })

  it('stamps the sender: a forged `from` is ignored; bad messages are refused and the server lives on', async () => {
    const { member } = await start()
    const [ada, bob, eve] = await Promise.all([member('ada'), member('bob'), member('eve')])
    const join = async (m: typeof ada) => {
      const socket = connect({ address: m.address, proof: await proofFor(m.key, m.token, m.address) })
      const welcome = next<{ peers: unknown[] }>(socket, 'welcome')
      expect(await outcome(socket)).toBe('connected')
      await welcome
      return socket
    }
    const bobSocket = await join(bob)
    const eveSocket = await join(eve)
    await join(ada)
    const received = next<{ from: string; data: string }>(bobSocket, 'msg')
    // Eve claims to be Ada, in every way a client could.
    eveSocket.emit('msg', bob.address, JSON.stringify({ from: ada.address, type: 'end' }), ada.address)
    expect(await received).toEqual({
      from: eve.address,
      data: JSON.stringify({ from: ada.address, type: 'end' }),
    })

    const refusals: unknown[] = []
    eveSocket.on('refused', (r: unknown) => refusals.push(r))
    eveSocket.emit('msg', bob.address, { not: 'text' })
    eveSocket.emit('msg', peerIdIn('another-meeting', 'x'), 'hello')
    eveSocket.emit('msg', bob.address, 'x'.repeat(70_000))
    eveSocket.emit('msg', 42, 'hi')
    eveSocket.emit('flush', 'not a function')
    eveSocket.emit('no-such-event', 1, 2, 3)
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(refusals).toEqual([
      { code: 'INVALID_MESSAGE', error: expect.any(String) },
      { code: 'INVALID_ADDRESS', error: expect.any(String) },
      { code: 'MESSAGE_TOO_LARGE', error: expect.any(String) },
      { code: 'INVALID_ADDRESS', error: expect.any(String) },
    ])
    // Still serving: a broadcast from Bob reaches Eve, stamped as Bob.
    const broadcast = next<{ from: string }>(eveSocket, 'msg')
    bobSocket.emit('msg', null, '{"type":"heartbeat"}')
    expect(await broadcast).toMatchObject({ from: bob.address })
  })

  it('the newest connection of an address wins: the older socket is told so and its peers see one link', async () => {
    const { member } = await start()
    const [ada, bob] = await Promise.all([member('ada'), member('bob')])
    const bobSocket = connect({
      address: bob.address,
      proof: await proofFor(bob.key, bob.token, bob.address),
    })
    await next(bobSocket, 'welcome')
    const first = connect({ address: ada.address, proof: await proofFor(ada.key, ada.token, ada.address) })
    await next(first, 'welcome')
    const firstGone = next<string>(first, 'disconnect')
    const second = connect({ address: ada.address, proof: await proofFor(ada.key, ada.token, ada.address) })
    const welcome = await next<{ peers: { address: string }[] }>(second, 'welcome')
    expect(welcome.peers.map((p) => p.address)).toEqual([bob.address])
    expect(await firstGone).toBe('io server disconnect')
  })
})

describe('the Socket.IO relay without auth', () => {
  it('lists the meeting at connect and tells the others who joined and left, with why', async () => {
    server = await createConveneServer({ logger: 'silent' })
    const ada = peerIdIn(MEETING, 'ada')
    const bob = peerIdIn(MEETING, 'bob')
    const adaSocket = connect({ address: ada })
    expect(await next(adaSocket, 'welcome')).toEqual({ peers: [] })
    const joined = next<{ address: string }>(adaSocket, 'peer-joined')
    const bobSocket = connect({ address: bob })
    expect(await next(bobSocket, 'welcome')).toEqual({ peers: [{ address: ada, sid: expect.any(String) }] })
    expect(await joined).toMatchObject({ address: bob })
    const left = next<{ address: string; reason: string }>(adaSocket, 'peer-left')
    bobSocket.disconnect()
    expect(await left).toMatchObject({ address: bob, reason: 'left' })
  })

  it('serves PeerServer and the relay on one port: both upgrades succeed', async () => {
    server = await createConveneServer({ logger: 'silent' })
    const { connectPeer } = await import('./helpers.js')
    const peer = await connectPeer(server.url, peerIdIn(MEETING, 'mesh'))
    const socket = connect({ address: peerIdIn(MEETING, 'relay') })
    expect(await outcome(socket)).toBe('connected')
    peer.close()
  })
})
