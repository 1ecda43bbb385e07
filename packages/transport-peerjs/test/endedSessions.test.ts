/**
 * Sessions that are over are not dialled again: the others' after it said so, and the same app's own
 * earlier session, even while the room directory still lists it (it forgets a peer only once that
 * peer's PeerServer connection has closed, a moment after the session ended).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { ConveneServer } from '@convene/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type OpenSession, openSession, sleep, waitFor } from './support/sessions.js'
import { createdPeerConnections } from './support/webrtc.js'

const { createConveneServer } = await import('@convene/server')
const { createPeerJSTransport } = await import('@convene/transport-peerjs')

let server: ConveneServer
let staleDirectory: Server | undefined
const sessions: OpenSession[] = []

beforeEach(async () => {
  server = await createConveneServer()
})

afterEach(async () => {
  for (const s of sessions.splice(0)) if (!s.closed) s.close()
  await new Promise((resolve) => (staleDirectory ? staleDirectory.close(resolve) : resolve(undefined)))
  staleDirectory = undefined
  await server.close()
})

function open(transport: ReturnType<typeof createPeerJSTransport>, meetingId: string, who: string) {
  const session = openSession(transport, meetingId, who)
  sessions.push(session)
  return session
}

async function listed(meetingId: string): Promise<string[]> {
  const response = await fetch(`${server.url}/convene/rooms/${encodeURIComponent(meetingId)}`)
  return ((await response.json()) as { peers: string[] }).peers
}

/** A room directory that lists what the real one does, plus `stale`: peers it has not forgotten yet. */
async function directoryListing(stale: () => string[]): Promise<string> {
  staleDirectory = createServer((req, res) => {
    const meetingId = decodeURIComponent(req.url!.split('/').at(-1)!)
    listed(meetingId).then((peers) => {
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ peers: [...peers, ...stale().filter((id) => !peers.includes(id))] }))
    })
  })
  await new Promise<void>((resolve) => staleDirectory!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(staleDirectory.address() as AddressInfo).port}/rooms`
}

describe('a session that is over', () => {
  it('is neither dialled nor awaited by the next session of the same transport, though still listed', async () => {
    let stale: string[] = []
    const directoryUrl = await directoryListing(() => stale)
    const other = open(createPeerJSTransport({ port: server.port }), 'm-rejoin', 'bob')
    await waitFor(() => other.ofType('ready').length === 1, 30_000, 'bob ready')
    const transport = createPeerJSTransport({ port: server.port, directoryUrl })
    const first = open(transport, 'm-rejoin', 'dee')
    await waitFor(() => first.up.size === 1 && other.up.size === 1, 30_000, 'dee-bob link')
    const [bob] = [...first.up]
    first.close()
    await waitFor(() => other.up.size === 0, 20_000, 'link-down at bob')
    // The directory has not heard yet that the first session is gone.
    stale = [first.session.address!]
    const second = open(transport, 'm-rejoin', 'dee')
    await waitFor(() => second.ofType('ready').length === 1, 30_000, 'second ready')
    expect(second.ofType('ready')[0]!.peers).toEqual([bob])
    await waitFor(() => second.up.size === 1, 30_000, 'second linked to bob')
    expect(second.ofType('link-down')).toEqual([])
  })

  it('is forgotten by the room directory as it ends, before its PeerServer connection has closed', async () => {
    const stays = open(createPeerJSTransport({ port: server.port }), 'm-gone', 'bob')
    await waitFor(() => stays.ofType('ready').length === 1, 30_000, 'bob ready')
    const goes = open(createPeerJSTransport({ port: server.port }), 'm-gone', 'dee')
    await waitFor(() => goes.ofType('ready').length === 1, 30_000, 'dee ready')
    expect((await listed('m-gone')).sort()).toEqual([stays.session.address, goes.session.address].sort())
    // The close of a signalling socket takes a round trip through the app that ends its session, which
    // may be busy starting the next one: here it never comes, and the directory must forget it anyway.
    const sockets = globalThis.WebSocket.prototype as { close(...args: unknown[]): void }
    const close = sockets.close
    const held: Array<() => void> = []
    sockets.close = function (this: unknown, ...args: unknown[]) {
      held.push(() => close.apply(this, args))
    }
    try {
      goes.close()
      expect(held.length).toBeGreaterThan(0)
      const deadline = Date.now() + 10_000
      while ((await listed('m-gone')).length > 1 && Date.now() < deadline) await sleep(50)
      expect(await listed('m-gone')).toEqual([stays.session.address])
    } finally {
      sockets.close = close
      for (const release of held) release()
    }
  })

  it('is not redialled by the others once it said so as it drained', async () => {
    const a = open(createPeerJSTransport({ port: server.port }), 'm-over', 'alice')
    await waitFor(() => a.ofType('ready').length === 1, 30_000, 'alice ready')
    // drain() resolves after drainTimeoutMs (2 s) even unconfirmed: on a busy machine Alice may not
    // have read Bob's "over" by then. Here it resolves only on her echo, sent after she read it.
    const b = open(createPeerJSTransport({ port: server.port, drainTimeoutMs: 50_000 }), 'm-over', 'bob')
    await waitFor(() => a.up.size === 1 && b.up.size === 1, 30_000, 'alice-bob link')
    await b.session.drain?.()
    const made = createdPeerConnections()
    b.close()
    await waitFor(() => a.ofType('link-down').length === 1, 20_000, 'link-down at alice')
    // A pair that went down is redialled 50 ms later, unless its session said it is over.
    await sleep(1000)
    expect(createdPeerConnections()).toBe(made)
    expect(a.up.size).toBe(0)
  })
})
