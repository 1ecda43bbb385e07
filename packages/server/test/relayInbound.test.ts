/**
 * What the relay does with what it is sent before anything reaches a meeting: an END from a host is
 * read as an END (`@convene/core/wire`) before it closes anything, and a client of another relay
 * protocol is refused at its handshake. Each bad input is answered with `{ code, error }` (no stack),
 * logged, and changes nothing.
 */
import { parsePeerId, RELAY_PROTOCOL_VERSION } from '@convene/core/wire'
import { type ConveneServer, createConveneServer } from '@convene/server'
import { io, type Socket } from 'socket.io-client'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { endOf, peerIdIn } from './helpers.js'
import { captureLogs } from './logSupport.js'

const MEETING = 'inbound-room'
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

const next = <T>(socket: Socket, event: string) =>
  new Promise<T>((resolve) => socket.once(event, (value: T) => resolve(value)))
/** Generous: a busy 2-core machine runs the server, its clients and other test files in one event loop each. */
const eventually = { timeout: 10_000 }

/**
 * Everything a socket hears from now on, disconnection included, but arrivals: the sessions' own,
 * told in batches just after their welcomes, are not what these tests are about.
 */
function record(socket: Socket): string[] {
  const heard: string[] = []
  socket.onAny((event: string, value: { data?: string }) => {
    if (event !== 'peers-joined') heard.push(event === 'msg' ? `msg:${value.data}` : event)
  })
  socket.on('disconnect', (reason) => heard.push(`disconnect:${reason}`))
  return heard
}

/**
 * Resolves once the relay handled everything `socket` sent so far: a malformed media change sent now
 * is refused after everything before it on the same ordered connection.
 */
function handledSoFar(socket: Socket): Promise<void> {
  const probe = 'media is { mic: boolean, webcam: boolean }'
  const handled = new Promise<void>((resolve) => {
    const listener = (refusal: { error?: string }) => {
      if (refusal.error !== probe) return
      socket.off('refused', listener)
      resolve()
    }
    socket.on('refused', listener)
  })
  socket.emit('media', 'a probe')
  return handled
}

describe("the relay's end(text)", () => {
  it("from a host, closes the meeting only for the host's own END: anything else is refused or relayed, and changes nothing", async () => {
    server = await createConveneServer({ logger: 'silent' })
    const [ada, bob] = [peerIdIn(MEETING, 'ada'), peerIdIn(MEETING, 'bob')]
    const adaSocket = connect({ protocol: RELAY_PROTOCOL_VERSION, address: ada, role: 'host' })
    const bobSocket = connect({ protocol: RELAY_PROTOCOL_VERSION, address: bob })
    await Promise.all([next(adaSocket, 'welcome'), next(bobSocket, 'welcome')])
    const refusals: unknown[] = []
    adaSocket.on('refused', (refusal: { error?: string }) => {
      if (refusal.error !== 'media is { mic: boolean, webcam: boolean }') refusals.push(refusal)
    })
    const heardByBob = record(bobSocket)
    const session = parsePeerId(ada)!.sessionId
    const notEnds: unknown[] = [
      42,
      'the-end',
      '[1,2]',
      JSON.stringify({ v: 1, session, seq: 1, type: 'heartbeat' }),
      JSON.stringify({ v: 2, session, seq: 1, type: 'end', origin: session }),
      JSON.stringify({ v: 1, session, type: 'end', origin: session }),
      JSON.stringify({ v: 1, session, seq: 1, type: 'end' }),
      'x'.repeat(70_000),
    ]
    for (const data of notEnds) adaSocket.emit('end', data)
    // Ada's message after them reaches Bob after anything the relay passed on of them.
    const probe = next<{ data: string }>(bobSocket, 'msg')
    adaSocket.emit('msg', bob, 'probe')
    await handledSoFar(adaSocket)
    expect((await probe).data).toBe('probe')
    heardByBob.splice(heardByBob.indexOf('msg:probe'), 1)
    expect(refusals.map((r) => (r as { code: string }).code)).toEqual([
      ...Array(notEnds.length - 1).fill('INVALID_MESSAGE'),
      'MESSAGE_TOO_LARGE',
    ])
    for (const refusal of refusals) {
      expect(refusal).toEqual({ code: expect.any(String), error: expect.any(String) })
      expect(JSON.stringify(refusal)).not.toMatch(/at .+\.(ts|js):\d+/)
    }
    expect((refusals[4] as { error: string }).error).toBe(
      'end(text) carries an END: an END of protocol version 1 (not 2)',
    )
    // Nothing reached Bob, nobody was disconnected.
    expect(heardByBob).toEqual([])
    expect([adaSocket.connected, bobSocket.connected]).toEqual([true, true])

    // A host's END in another session's name is core's to refuse at each receiver: relayed, and it
    // closes nothing (the relay closes a meeting only behind an END its receivers will obey).
    const forged = endOf(ada, 'someone-else')
    adaSocket.emit('end', forged)
    await handledSoFar(adaSocket)
    await vi.waitFor(() => expect(heardByBob).toEqual([`msg:${forged}`]), eventually)
    expect([adaSocket.connected, bobSocket.connected]).toEqual([true, true])
    expect(refusals).toHaveLength(notEnds.length)

    // The host's own END still closes the meeting.
    const theEnd = endOf(ada)
    adaSocket.emit('end', theEnd)
    await vi.waitFor(
      () => expect(heardByBob).toEqual([`msg:${forged}`, `msg:${theEnd}`, 'disconnect:io server disconnect']),
      eventually,
    )
  })
})

describe('the relay protocol version', () => {
  it('refuses a client of another version with PROTOCOL_VERSION, logs it, and serves the others', async () => {
    const logs = captureLogs('info')
    server = await createConveneServer({ logger: logs.logger })
    const outcome = (socket: Socket) =>
      new Promise<unknown>((resolve) => {
        socket.once('welcome', () => resolve('welcomed'))
        socket.once('connect_error', (error: Error & { data?: unknown }) => resolve(error.data))
      })
    const versions: unknown[] = [undefined, 1, RELAY_PROTOCOL_VERSION + 1, 'two']
    for (const protocol of versions) {
      const address = peerIdIn(MEETING, 'old')
      const auth = protocol === undefined ? { address } : { address, protocol }
      const refused = await outcome(connect(auth))
      expect(refused).toEqual({
        code: 'PROTOCOL_VERSION',
        error: expect.stringContaining(`this relay speaks relay protocol ${RELAY_PROTOCOL_VERSION}`),
      })
      expect(JSON.stringify(refused)).not.toMatch(/at .+\.(ts|js):\d+/)
    }
    expect(logs.events('relay.protocol-mismatch').map((line) => line.client)).toEqual([
      '1',
      '1',
      String(RELAY_PROTOCOL_VERSION + 1),
      'two',
    ])
    // Nobody of another version was listed: the next one to join finds only itself in the meeting.
    const newcomer = peerIdIn(MEETING, 'new')
    const welcome = await next<{ peers: Array<{ address: string }>; protocol: number }>(
      connect({ address: newcomer, protocol: RELAY_PROTOCOL_VERSION }),
      'welcome',
    )
    expect(welcome.protocol).toBe(RELAY_PROTOCOL_VERSION)
    expect(welcome.peers.map((peer) => peer.address)).toEqual([newcomer])
  })
})
