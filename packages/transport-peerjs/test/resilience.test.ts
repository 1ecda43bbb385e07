import './support/webrtc.js'
import type { ConveneServer } from '@convene/server'
import { afterEach, describe, expect, it } from 'vitest'
import { heartbeat, messagesFrom, type OpenSession, openSession, sleep, waitFor } from './support/sessions.js'

const { createConveneServer } = await import('@convene/server')
const { createPeerJSTransport } = await import('@convene/transport-peerjs')

const sessions: OpenSession[] = []
const servers: ConveneServer[] = []

afterEach(async () => {
  for (const s of sessions.splice(0)) if (!s.closed) s.close()
  await Promise.all(servers.splice(0).map((s) => s.close()))
})

async function startServer(port = 0): Promise<ConveneServer> {
  const server = await createConveneServer({ port })
  servers.push(server)
  return server
}

function join(port: number, meetingId: string, participantId: string): OpenSession {
  const session = openSession(createPeerJSTransport({ port, reconnect: 100 }), meetingId, participantId)
  sessions.push(session)
  return session
}

describe('signalling outage', () => {
  it('keeps data links up through a PeerServer restart; a later joiner still links with everyone', async () => {
    const first = await startServer()
    const port = first.port
    const a = join(port, 'r', 'a')
    await waitFor(() => a.ofType('ready').length === 1)
    const b = join(port, 'r', 'b')
    const alone = join(port, 'solo', 'x')
    await waitFor(() => a.up.size === 1 && b.up.size === 1 && alone.ofType('ready').length === 1)
    const [bId] = [...a.up]

    await first.close()
    servers.splice(servers.indexOf(first), 1)
    await sleep(1500)
    // Data still flows peer to peer with the server gone.
    a.session.send(heartbeat('during-outage'))
    await waitFor(() => messagesFrom(b, [...b.up][0]!).length === 1, 10_000, 'message during outage')
    // Linked sessions are still on the network; the lone one really is off it.
    for (const s of [a, b]) {
      expect(s.ofType('link-down')).toEqual([])
      expect(s.ofType('disconnected')).toEqual([])
    }
    await waitFor(() => alone.ofType('disconnected').length === 1, 10_000, 'lone session disconnected')

    await startServer(port)
    await waitFor(() => alone.ofType('reconnected').length === 1, 20_000, 'lone session reconnected')
    const c = join(port, 'r', 'c')
    await waitFor(() => [a, b, c].every((s) => s.up.size === 2), 30_000, 'mesh with the later joiner')
    expect([...a.up]).toContain(bId)
    for (const s of [a, b]) expect(s.ofType('link-down')).toEqual([])
  })
})

describe('failures', () => {
  it('reports a fatal error when no PeerServer answers', async () => {
    const server = await startServer()
    const port = server.port
    await server.close()
    servers.splice(0)
    const s = join(port, 'm', 'a')
    await waitFor(() => s.ofType('error').length > 0, 20_000, 'error')
    expect(s.ofType('error')[0]!.fatal).toBe(true)
    expect(s.ofType('ready')).toEqual([])
  })

  it('closeLink() closes one link and the other side sees it go down', async () => {
    const server = await startServer()
    const a = join(server.port, 'cl', 'a')
    await waitFor(() => a.ofType('ready').length === 1)
    const b = join(server.port, 'cl', 'b')
    await waitFor(() => a.up.size === 1 && b.up.size === 1)
    const [bId] = [...a.up]
    a.session.closeLink?.(bId!)
    await waitFor(() => b.ofType('link-down').length === 1 && a.ofType('link-down').length === 1, 20_000)
    expect(a.ofType('link-down')[0]!.linkId).toBe(bId)
  })

  it('drain() resolves once sent data has left, and at once with no links', async () => {
    const server = await startServer()
    const a = join(server.port, 'dr', 'a')
    await waitFor(() => a.ofType('ready').length === 1)
    await a.session.drain?.()
    const b = join(server.port, 'dr', 'b')
    await waitFor(() => a.up.size === 1 && b.up.size === 1)
    // Sent to b by name: expendable messages to everyone take the unreliable beat channel, which
    // drain() does not wait for (a lost beat is never resent).
    const [bId] = [...a.up]
    for (let i = 0; i < 200; i += 1) a.session.send(heartbeat('burst'), bId)
    await a.session.drain?.()
    await waitFor(() => b.ofType('message').length === 200, 20_000, 'all 200 messages')
  })
})

describe('page lifecycle', () => {
  it('emits terminating on pagehide, and stops listening once closed', async () => {
    const server = await startServer()
    // Node has no window: lend globalThis an EventTarget's listener methods, as a page has.
    const page = new EventTarget()
    const g = globalThis as unknown as Record<string, unknown>
    g.addEventListener = page.addEventListener.bind(page)
    g.removeEventListener = page.removeEventListener.bind(page)
    try {
      const s = join(server.port, 'ph', 'a')
      await waitFor(() => s.ofType('ready').length === 1)
      page.dispatchEvent(new Event('pagehide'))
      expect(s.ofType('terminating')).toHaveLength(1)
      s.close()
      page.dispatchEvent(new Event('pagehide'))
      expect(s.ofType('terminating')).toHaveLength(1)
    } finally {
      delete g.addEventListener
      delete g.removeEventListener
    }
  })
})

describe('stale directory entries', () => {
  it('reports a listed peer that never answers as down, so a join does not hang on it', async () => {
    const server = await startServer()
    // A session whose network dropped: still registered with PeerServer, answering nothing.
    const ghostId = `cv-${Buffer.from('st').toString('hex')}-${Buffer.from('ghost').toString('hex')}-01`
    const ghost = new WebSocket(
      `ws://127.0.0.1:${server.port}/peerjs/peerjs?key=peerjs&id=${ghostId}&token=t&version=1.5.5`,
    )
    await new Promise((resolve) => ghost.addEventListener('message', resolve, { once: true }))
    try {
      const s = openSession(
        createPeerJSTransport({ port: server.port, connectTimeoutMs: 1500 }),
        'st',
        'fresh',
      )
      sessions.push(s)
      await waitFor(() => s.ofType('ready').length === 1)
      expect(s.ofType('ready')[0]!.peers).toEqual([ghostId])
      const readyAt = Date.now()
      await waitFor(() => s.ofType('link-down').length === 1, 10_000, 'link-down for the ghost')
      expect(s.ofType('link-down')[0]!.linkId).toBe(ghostId)
      expect(Date.now() - readyAt).toBeLessThan(5000)
      expect(s.ofType('link-up')).toEqual([])
    } finally {
      ghost.close()
    }
  })
})
