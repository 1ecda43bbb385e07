/**
 * A returner's welcome by reference: a session whose handshake says it holds the meeting's records
 * (`returning`) is welcomed with references to them (`refs`: address, socket id, digest, media), not
 * the records; asking again (`resend-welcome`) brings the records. Everyone else gets records.
 */

import { RELAY_PROTOCOL_VERSION, type RelayMember, relayRefOf } from '@convene/core/wire'
import { type ConveneServer, createConveneServer } from '@convene/server'
import { io, type Socket } from 'socket.io-client'
import { afterEach, describe, expect, it } from 'vitest'
import { peerIdIn } from './helpers.js'

const MEETING = 'refs-room'
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
    auth: { protocol: RELAY_PROTOCOL_VERSION, ...auth },
    reconnection: false,
    forceNew: true,
  })
  sockets.push(socket)
  return socket
}

interface Welcome {
  protocol: number
  peers: RelayMember[]
  refs?: unknown[]
}
const welcomeOf = (socket: Socket) => new Promise<Welcome>((resolve) => socket.once('welcome', resolve))

describe("the relay's welcome to a returner", () => {
  it('names the records by reference; asked again, it carries them; a newcomer gets them', async () => {
    server = await createConveneServer({ logger: 'silent' })
    const ada = peerIdIn(MEETING, 'ada')
    const bob = peerIdIn(MEETING, 'bob')
    await welcomeOf(connect({ address: ada, name: 'Ada', media: { mic: false, webcam: true } }))
    const newcomer = await welcomeOf(connect({ address: bob }))
    expect(newcomer.refs).toBeUndefined()
    const records = newcomer.peers
    expect(records.map((p) => p.address).sort()).toEqual([ada, bob].sort())

    const carol = peerIdIn(MEETING, 'carol')
    const returner = connect({ address: carol, returning: true })
    const byRef = await welcomeOf(returner)
    expect(byRef.protocol).toBe(RELAY_PROTOCOL_VERSION)
    expect(byRef.peers).toEqual([])
    const carolRef = (byRef.refs ?? []).find((ref) => (ref as string[])[0] === carol)
    expect((byRef.refs ?? []).filter((ref) => ref !== carolRef).sort()).toEqual(
      records.map(relayRefOf).sort(),
    )
    // Ada's microphone off, camera on: 2.
    expect(byRef.refs).toContainEqual([ada, expect.any(String), expect.any(Number), 2])

    const again = welcomeOf(returner)
    returner.emit('resend-welcome')
    const full = await again
    expect(full.refs).toBeUndefined()
    expect(full.peers.map((p) => p.address).sort()).toEqual([ada, bob, carol].sort())
  })

  it('returners and newcomers admitted on one read each get their form', async () => {
    server = await createConveneServer({ logger: 'silent' })
    const ada = peerIdIn(MEETING, 'ada')
    await welcomeOf(connect({ address: ada }))
    const [back, fresh] = await Promise.all([
      welcomeOf(connect({ address: peerIdIn(MEETING, 'bob'), returning: true })),
      welcomeOf(connect({ address: peerIdIn(MEETING, 'carol') })),
    ])
    expect(back.peers).toEqual([])
    expect(back.refs?.length).toBeGreaterThanOrEqual(2)
    expect(fresh.refs).toBeUndefined()
    expect(fresh.peers.length).toBeGreaterThanOrEqual(2)
  })

  it('a session back on a new socket is told to the others by reference', async () => {
    server = await createConveneServer({ logger: 'silent', relay: { recoveryMs: 5_000 } })
    const ada = peerIdIn(MEETING, 'ada')
    const bob = peerIdIn(MEETING, 'bob')
    const adaSocket = connect({ address: ada })
    await welcomeOf(adaSocket)
    // A session presents the same start at every connect (the relay would stamp a new one otherwise).
    const first = connect({ address: bob, joinedAt: 1_000 })
    const record = (await welcomeOf(first)).peers.find((p) => p.address === bob)!
    const told = new Promise<{ joined: unknown[]; refs?: unknown[] }>((resolve) =>
      adaSocket.on('peers-joined', (v: { joined: unknown[]; refs?: unknown[] }) => {
        if (v.refs?.length) resolve(v)
      }),
    )
    // Bob's socket drops (not recovered: a new one), and he connects afresh within the grace period.
    first.io.engine.close()
    const second = connect({ address: bob, joinedAt: 1_000, returning: true })
    await welcomeOf(second)
    const back = await told
    expect(back.joined).toEqual([])
    expect(back.refs).toEqual([relayRefOf({ ...record, sid: second.id! })])
  })
})
