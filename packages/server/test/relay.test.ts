/**
 * The Socket.IO relay as a hostile client sees it: it registers a session only with a valid token and
 * a fresh proof of possession, refuses with `{ code, error }` (never a stack), never lets a socket send
 * as another session, and survives malformed input.
 */

import { RELAY_PROTOCOL_VERSION } from '@convene/core/wire'
import {
  type ConveneServer,
  createConveneServer,
  createToken,
  generateSigningKey,
  relayPayload,
} from '@convene/server'
import { io, type Socket } from 'socket.io-client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { endOf, peerIdIn } from './helpers.js'
import { createSessionKey, type SessionKey } from './sessionKey.js'

const MEETING = 'relay-room'
let server: ConveneServer | undefined
const sockets: Socket[] = []

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.disconnect()
  await server?.close()
  server = undefined
})

/** A relay socket speaking this relay's protocol (what `auth` says may override it). */
function connect(auth: Record<string, unknown>): Socket {
  const socket = io(server!.url, {
    path: server!.relayPath!,
    transports: ['websocket'],
    auth: { protocol: RELAY_PROTOCOL_VERSION, ...auth },
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

/** Generous: a busy 2-core machine runs the server, its clients and other test files in one event loop each. */
const eventually = { timeout: 10_000 }

/**
 * Runs `send` on `socket`, then resolves what the relay refused of it once it handled all of it: a
 * malformed media change sent last is refused after everything before it on the same ordered
 * connection (that probe's own refusal left out).
 */
async function refusalsOf(socket: Socket, send: () => void): Promise<Array<{ code: string }>> {
  const heard: Array<{ code: string }> = []
  const probe = 'media is { mic: boolean, webcam: boolean }'
  const handled = new Promise<void>((resolve) => {
    const listener = (refusal: { code: string; error?: string }) => {
      if (refusal.error !== probe) return void heard.push(refusal)
      socket.off('refused', listener)
      resolve()
    }
    socket.on('refused', listener)
  })
  send()
  socket.emit('media', 'a probe')
  await handled
  return heard
}

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

    const refusals = await refusalsOf(eveSocket, () => {
      eveSocket.emit('msg', bob.address, { not: 'text' })
      eveSocket.emit('msg', peerIdIn('another-meeting', 'x'), 'hello')
      eveSocket.emit('msg', bob.address, 'x'.repeat(70_000))
      eveSocket.emit('msg', 42, 'hi')
      eveSocket.emit('flush', 'not a function')
      eveSocket.emit('no-such-event', 1, 2, 3)
    })
    expect(refusals.map((r) => r.code).sort()).toEqual([
      'INVALID_ADDRESS',
      'INVALID_ADDRESS',
      'INVALID_MESSAGE',
      'INVALID_MESSAGE',
      'MESSAGE_TOO_LARGE',
    ])
    for (const refusal of refusals)
      expect(refusal).toEqual({ code: expect.any(String), error: expect.any(String) })
    // Still serving: a broadcast from Bob reaches Eve, stamped as Bob.
    const broadcast = next<{ from: string }>(eveSocket, 'msg')
    bobSocket.emit('msg', null, '{"type":"heartbeat"}')
    expect(await broadcast).toMatchObject({ from: bob.address })
  })

  it('presence comes only from the server: a client emitting peers-left, peers-joined or welcome is refused, and nobody hears it', async () => {
    const { member } = await start()
    const [ada, bob, eve] = await Promise.all([member('ada'), member('bob'), member('eve')])
    const join = async (m: typeof ada) => {
      const socket = connect({ address: m.address, proof: await proofFor(m.key, m.token, m.address) })
      await next(socket, 'welcome')
      return socket
    }
    const adaSocket = await join(ada)
    const bobSocket = await join(bob)
    // Eve's own arrival reaches the others just after her welcome.
    const eveArrived = new Promise<void>((resolve) =>
      bobSocket.on('peers-joined', (v: { joined: Array<{ address: string }> }) => {
        if (v.joined.some((p) => p.address === eve.address)) resolve()
      }),
    )
    const eveSocket = await join(eve)
    await eveArrived
    const heard: unknown[] = []
    for (const event of ['peers-left', 'peers-joined', 'welcome'])
      bobSocket.on(event, (v: unknown) => heard.push(v))
    // Eve's message after her forgeries reaches Bob after anything the relay passed on of them.
    const probe = next<{ data: string }>(bobSocket, 'msg')
    const adaSid = adaSocket.id
    const refusals = await refusalsOf(eveSocket, () => {
      eveSocket.emit('peers-left', { gone: [{ address: ada.address, sid: adaSid, reason: 'lost' }] })
      eveSocket.emit('peers-joined', { joined: [{ address: peerIdIn(MEETING, 'ghost'), sid: 'x' }] })
      eveSocket.emit('welcome', { peers: [] })
      eveSocket.emit('msg', bob.address, 'probe')
    })
    expect(refusals).toEqual(Array(3).fill({ code: 'INVALID_MESSAGE', error: expect.any(String) }))
    expect((await probe).data).toBe('probe')
    expect(heard).toEqual([])
    // Ada is still in the meeting for whoever joins next.
    const carol = await member('carol')
    const carolSocket = connect({
      address: carol.address,
      proof: await proofFor(carol.key, carol.token, carol.address),
    })
    const welcome = await next<{ peers: { address: string }[] }>(carolSocket, 'welcome')
    // Everyone listed, Carol too (the sessions admitted on one read share one welcome).
    expect(welcome.peers.map((p) => p.address).sort()).toEqual(
      [ada.address, bob.address, eve.address, carol.address].sort(),
    )
  })

  it('vouches for each session with its token: a claimed role the token does not grant is refused, and nothing changes', async () => {
    const { member } = await start()
    const [ada, bob, carol] = await Promise.all([member('ada'), member('bob'), member('carol')])
    const adaSocket = connect({
      address: ada.address,
      proof: await proofFor(ada.key, ada.token, ada.address),
      name: 'Ada',
      role: 'participant',
      joinedAt: 1234,
      media: { mic: false, webcam: true },
    })
    await next(adaSocket, 'welcome')
    // Ada hears of herself in the first batch of arrivals; anyone else would be news.
    const heard: unknown[] = []
    adaSocket.on('peers-joined', (v: { joined: Array<{ address: string }> }) =>
      heard.push(...v.joined.filter((p) => p.address !== ada.address)),
    )
    // Bob holds a participant token and says he is the host.
    const claim = {
      address: bob.address,
      proof: await proofFor(bob.key, bob.token, bob.address),
      role: 'host',
    }
    const refused = await outcome(connect(claim))
    expect(refused).toEqual({
      data: { code: 'UNAUTHORIZED', error: 'the token grants the role "participant", not "host"' },
      message: expect.any(String),
    })
    // Whoever joins next finds Ada as the relay vouches for her, and no Bob; and Ada hears of Carol
    // after anything she could have heard of Bob.
    const carolSocket = connect({
      address: carol.address,
      proof: await proofFor(carol.key, carol.token, carol.address),
    })
    const welcome = await next<{ peers: Array<{ address: string }> }>(carolSocket, 'welcome')
    expect(welcome.peers.filter((peer) => peer.address !== carol.address)).toEqual([
      {
        address: ada.address,
        sid: adaSocket.id,
        role: 'participant',
        name: 'Ada',
        joinedAt: 1234,
        media: { mic: false, webcam: true },
        verified: true,
      },
    ])
    await vi.waitFor(() => expect(heard).not.toEqual([]), eventually)
    expect(heard).toMatchObject([{ address: carol.address }])
    // A media change is kept in her record for later arrivals: a welcome Ada asks for after it
    // (read after the request) shows it.
    const own = new Promise<unknown>((resolve) =>
      adaSocket.on('welcome', (v: { peers: Array<{ address: string; media: unknown }> }) =>
        resolve(v.peers.find((p) => p.address === ada.address)?.media),
      ),
    )
    adaSocket.emit('media', { mic: true, webcam: false })
    adaSocket.emit('resend-welcome')
    expect(await own).toEqual({ mic: true, webcam: false })
    const dave = await member('dave')
    const daveSocket = connect({
      address: dave.address,
      proof: await proofFor(dave.key, dave.token, dave.address),
    })
    const later = await next<{ peers: Array<{ address: string; media: unknown }> }>(daveSocket, 'welcome')
    expect(later.peers.find((p) => p.address === ada.address)?.media).toEqual({ mic: true, webcam: false })
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
    expect(welcome.peers.map((p) => p.address).sort()).toEqual([ada.address, bob.address].sort())
    expect(await firstGone).toBe('io server disconnect')
  })
})

describe('the Socket.IO relay without auth', () => {
  it('lists the meeting at connect and tells the others who joined and left, with why', async () => {
    server = await createConveneServer({ logger: 'silent' })
    const ada = peerIdIn(MEETING, 'ada')
    const bob = peerIdIn(MEETING, 'bob')
    const adaSocket = connect({ address: ada })
    // The welcome lists the meeting as it is, the session welcomed included.
    const first = await next<{ peers: Array<{ address: string }> }>(adaSocket, 'welcome')
    expect(first).toMatchObject({ protocol: RELAY_PROTOCOL_VERSION, gone: [], away: [] })
    expect(first.peers.map((p) => p.address)).toEqual([ada])
    // Arrivals come in batches (Ada hears of herself too): wait for the one with Bob.
    const joined = new Promise<Array<{ address: string }>>((resolve) =>
      adaSocket.on('peers-joined', (v: { joined: Array<{ address: string }> }) => {
        if (v.joined.some((p) => p.address === bob)) resolve(v.joined)
      }),
    )
    const bobSocket = connect({ address: bob })
    const bobWelcome = await next<{ peers: Array<{ address: string }> }>(bobSocket, 'welcome')
    expect({ ...bobWelcome, peers: bobWelcome.peers.filter((p) => p.address !== bob) }).toEqual({
      protocol: RELAY_PROTOCOL_VERSION,
      peers: [
        {
          address: ada,
          sid: expect.any(String),
          // Without auth the relay vouches only for the address: the role is the session's say-so.
          role: 'participant',
          name: 'ada',
          joinedAt: expect.any(Number),
          media: { mic: true, webcam: true },
          verified: false,
        },
      ],
      gone: [],
      away: [],
    })
    expect((await joined).find((p) => p.address === bob)).toMatchObject({ address: bob, verified: false })
    const left = next<{ gone: Array<{ address: string; reason: string }> }>(adaSocket, 'peers-left')
    bobSocket.disconnect()
    expect((await left).gone).toMatchObject([{ address: bob, reason: 'left' }])
    // Whoever comes next learns of that departure too (it may have missed it while away).
    const carolSocket = connect({ address: peerIdIn(MEETING, 'carol') })
    expect(await next(carolSocket, 'welcome')).toMatchObject({ gone: [{ address: bob, reason: 'left' }] })
  })

  it("a host's END closes the meeting behind it: each other session gets the END, then is closed, and nobody hears of the others going", async () => {
    server = await createConveneServer({ logger: 'silent' })
    const [ada, bob, carol] = ['ada', 'bob', 'carol'].map((id) => peerIdIn(MEETING, id)) as [
      string,
      string,
      string,
    ]
    const adaSocket = connect({ address: ada, role: 'host' })
    const bobSocket = connect({ address: bob })
    const carolSocket = connect({ address: carol })
    await Promise.all([adaSocket, bobSocket, carolSocket].map((s) => next(s, 'welcome')))
    const heard = new Map<Socket, string[]>()
    for (const socket of [adaSocket, bobSocket, carolSocket]) {
      const list: string[] = []
      heard.set(socket, list)
      // Arrivals (the three's own, told in batches just after their welcomes) are not what this is about.
      socket.onAny((event: string, value: { data?: string }) => {
        if (event !== 'peers-joined') list.push(event === 'msg' ? `msg:${value.data}` : event)
      })
      socket.on('disconnect', (reason) => list.push(`disconnect:${reason}`))
    }
    // A participant's END is relayed (its receivers refuse it) and closes nothing.
    const carolsEnd = endOf(carol)
    carolSocket.emit('end', carolsEnd)
    await vi.waitFor(() => expect(heard.get(bobSocket)).toEqual([`msg:${carolsEnd}`]), eventually)
    await vi.waitFor(() => expect(heard.get(adaSocket)).toEqual([`msg:${carolsEnd}`]), eventually)
    const theEnd = endOf(ada)
    adaSocket.emit('end', theEnd)
    const closed = [`msg:${theEnd}`, 'disconnect:io server disconnect']
    await vi.waitFor(() => expect(heard.get(bobSocket)).toEqual([`msg:${carolsEnd}`, ...closed]), eventually)
    // Carol's own END had closed nothing: she is closed by Ada's.
    await vi.waitFor(() => expect(heard.get(carolSocket)).toEqual(closed), eventually)
    // The host is closed too, and nobody heard of anyone going.
    await vi.waitFor(
      () => expect(heard.get(adaSocket)).toEqual([`msg:${carolsEnd}`, 'disconnect:io server disconnect']),
      eventually,
    )
    // The departures are remembered as `left`, for whoever comes next.
    const daveAddress = peerIdIn(MEETING, 'dave')
    const dave = connect({ address: daveAddress })
    const welcome = await next<{
      peers: Array<{ address: string }>
      gone: Array<{ address: string; reason: string }>
    }>(dave, 'welcome')
    expect(welcome.peers.map((p) => p.address)).toEqual([daveAddress])
    // And the END itself, for a session of the meeting that comes back on a fresh connection.
    expect(welcome).toMatchObject({ ended: { address: ada, data: theEnd } })
    expect(welcome.gone.map((g) => `${g.address}:${g.reason}`).sort()).toEqual(
      [ada, bob, carol].map((address) => `${address}:left`).sort(),
    )
  })

  it('a dropped connection is held for the grace period (away, not gone, to whoever connects), then told once as lost', async () => {
    server = await createConveneServer({ logger: 'silent', relay: { recoveryMs: 600 } })
    const ada = peerIdIn(MEETING, 'ada')
    const adaSocket = connect({ address: ada })
    await next(adaSocket, 'welcome')
    const bob = peerIdIn(MEETING, 'bob')
    const bobSocket = connect({ address: bob })
    await next(bobSocket, 'welcome')
    const left: Array<{ reason: string; at: number }> = []
    adaSocket.on('peers-left', (v: { gone: Array<{ reason: string }> }) =>
      left.push(...v.gone.map((g) => ({ ...g, at: Date.now() }))),
    )
    const bobSid = bobSocket.id
    const dropped = Date.now()
    // The connection dies without a goodbye, as a killed process's socket does.
    bobSocket.io.engine.close()
    await new Promise((resolve) => setTimeout(resolve, 100))
    // Held: not listed, not gone, but away under the socket it had (whoever knew it keeps it linked).
    const carol = peerIdIn(MEETING, 'carol')
    const carolSocket = connect({ address: carol })
    const welcome = await next<{ peers: Array<{ address: string }>; gone: unknown[]; away: unknown[] }>(
      carolSocket,
      'welcome',
    )
    expect(welcome.peers.map((p) => p.address).sort()).toEqual([ada, carol].sort())
    expect(welcome.gone).toEqual([])
    expect(welcome.away).toEqual([{ address: bob, sid: bobSid }])
    await vi.waitFor(() => expect(left).not.toEqual([]), eventually)
    expect(left).toMatchObject([{ address: bob, reason: 'lost' }])
    expect(left[0]!.at - dropped).toBeGreaterThanOrEqual(600)
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
