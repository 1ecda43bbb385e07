import { createServer } from 'node:net'
import { isMeetingError, type MeetingError } from '@convene/core'
import { type ConveneServer, type ConveneServerOptions, createConveneServer } from '@convene/server'
import { afterEach, describe, expect, it } from 'vitest'
import type WebSocket from 'ws'
import { connectPeer, listRoom, peerIdIn, waitFor } from './helpers.js'

const servers: ConveneServer[] = []
const sockets: WebSocket[] = []

async function start(options: ConveneServerOptions = {}): Promise<ConveneServer> {
  const server = await createConveneServer(options)
  servers.push(server)
  return server
}

async function peer(server: ConveneServer, id: string): Promise<WebSocket> {
  const socket = await connectPeer(server.url, id)
  sockets.push(socket)
  return socket
}

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.terminate()
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer()
    probe.once('error', () => resolve(false))
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)))
  })
}

describe('room directory', () => {
  it('lists the peers of the named meeting only', async () => {
    const server = await start()
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const a1 = peerIdIn('alpha')
    const a2 = peerIdIn('alpha')
    const b1 = peerIdIn('beta')
    const odd = peerIdIn('réunion ✓/1?')
    await Promise.all([
      peer(server, a1),
      peer(server, a2),
      peer(server, b1),
      peer(server, odd),
      peer(server, 'plainpeer'),
    ])

    expect((await listRoom(server.url, 'alpha')).sort()).toEqual([a1, a2].sort())
    expect(await listRoom(server.url, 'beta')).toEqual([b1])
    expect(await listRoom(server.url, 'réunion ✓/1?')).toEqual([odd])
    expect(await listRoom(server.url, 'alph')).toEqual([])
    expect(await listRoom(server.url, 'gamma')).toEqual([])
  })

  it('offers no way to enumerate meetings or peers without naming a meeting', async () => {
    const server = await start()
    await peer(server, peerIdIn('alpha'))
    expect((await fetch(`${server.url}/convene/rooms`)).status).toBe(404)
    expect((await fetch(`${server.url}/convene/rooms/`)).status).toBe(404)
    // PeerServer's own discovery endpoint stays off.
    expect((await fetch(`${server.url}/peerjs/peerjs/peers`)).status).toBe(404)
    expect((await fetch(`${server.url}/convene/rooms/${'x'.repeat(129)}`)).status).toBe(400)
  })

  it('drops a peer that says LEAVE to the PeerServer at once, before its signalling connection closes', async () => {
    const server = await start()
    const stays = peerIdIn('room')
    const goes = peerIdIn('room')
    await peer(server, stays)
    const socket = await peer(server, goes)
    expect((await listRoom(server.url, 'room')).sort()).toEqual([stays, goes].sort())
    // Another peer's id as `dst` is a message for that peer, not a goodbye: nothing changes.
    socket.send(JSON.stringify({ type: 'LEAVE', dst: stays }))
    socket.send(JSON.stringify({ type: 'LEAVE' }))
    await waitFor(async () => (await listRoom(server.url, 'room')).length === 1, 5_000)
    expect(await listRoom(server.url, 'room')).toEqual([stays])
    expect(socket.readyState).toBe(socket.OPEN)
  })

  it('drops a peer once its signalling connection closes', async () => {
    const server = await start()
    const stays = peerIdIn('room')
    const goes = peerIdIn('room')
    await peer(server, stays)
    const socket = await peer(server, goes)
    expect((await listRoom(server.url, 'room')).sort()).toEqual([stays, goes].sort())
    socket.terminate()
    await waitFor(async () => (await listRoom(server.url, 'room')).length === 1)
    expect(await listRoom(server.url, 'room')).toEqual([stays])
  })

  it('answers CORS preflights and reflects the origin', async () => {
    const server = await start()
    const preflight = await fetch(`${server.url}/convene/rooms/room`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'GET' },
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    const restricted = await start({ corsOrigin: ['http://app.example'] })
    const denied = await fetch(`${restricted.url}/convene/rooms/room`, {
      headers: { Origin: 'http://evil.example' },
    })
    expect(denied.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('asks `authorize` before listing', async () => {
    const seen: string[] = []
    const server = await start({
      authorize: ({ meetingId, headers }) => {
        seen.push(meetingId)
        return headers.authorization === 'Bearer good'
      },
    })
    const id = peerIdIn('secret')
    await peer(server, id)
    expect((await fetch(`${server.url}/convene/rooms/secret`)).status).toBe(403)
    expect(await listRoom(server.url, 'secret', { headers: { Authorization: 'Bearer good' } })).toEqual([id])
    expect(seen).toEqual(['secret', 'secret'])
  })
})

describe('lifecycle', () => {
  it('close() drops signalling sockets and frees the port', async () => {
    const server = await start()
    const socket = await peer(server, peerIdIn('room'))
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    await server.close()
    await closed
    expect(await portIsFree(server.port)).toBe(true)
    await server.close() // idempotent
    const again = await start({ port: server.port })
    expect(again.port).toBe(server.port)
  })

  it('rejects a port in use with the listen error', async () => {
    const server = await start()
    await expect(createConveneServer({ port: server.port })).rejects.toMatchObject({ code: 'EADDRINUSE' })
  })

  it.each<[string, ConveneServerOptions]>([
    ['host', { host: '' }],
    ['port', { port: -1 }],
    ['port', { port: 70_000 }],
    ['port', { port: 1.5 }],
    ['path', { path: 'peerjs' }],
    ['path', { path: '/a b' }],
    ['directoryPath', { directoryPath: '/' }],
    ['directoryPath', { path: '/same', directoryPath: '/same' }],
    ['key', { key: '' }],
    ['corsOrigin', { corsOrigin: [] as unknown as string }],
    ['corsOrigin', { corsOrigin: false as unknown as true }],
    ['aliveTimeoutMs', { aliveTimeoutMs: 10 }],
    ['authorize', { authorize: 'yes' as unknown as () => boolean }],
  ])('rejects a bad `%s` with INVALID_OPTION', async (option, options) => {
    const error = await createConveneServer(options).catch((e: unknown) => e)
    expect(isMeetingError(error)).toBe(true)
    expect((error as MeetingError).code).toBe('INVALID_OPTION')
    expect((error as MeetingError).details.option).toBe(option)
  })
})
