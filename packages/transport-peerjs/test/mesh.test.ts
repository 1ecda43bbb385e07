import type { ConveneServer } from '@convene/server'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { heartbeat, messagesFrom, type OpenSession, openSession, sleep, waitFor } from './support/sessions.js'
import { connectedPeerConnections } from './support/webrtc.js'

const { createConveneServer } = await import('@convene/server')
const { createPeerJSTransport } = await import('@convene/transport-peerjs')

let server: ConveneServer
const sessions: OpenSession[] = []

beforeEach(async () => {
  server = await createConveneServer()
})

afterEach(async () => {
  for (const s of sessions.splice(0)) if (!s.closed) s.close()
  await server.close()
})

function join(meetingId: string, participantId: string): OpenSession {
  const transport = createPeerJSTransport({ port: server.port, reconnect: 100 })
  const session = openSession(transport, meetingId, participantId)
  sessions.push(session)
  return session
}

async function listed(meetingId: string): Promise<string[]> {
  const response = await fetch(`${server.url}/convene/rooms/${encodeURIComponent(meetingId)}`)
  return ((await response.json()) as { peers: string[] }).peers
}

describe('data links', () => {
  it('links two sessions and carries messages both ways, untouched', async () => {
    const a = join('m1', 'alice')
    await waitFor(() => a.ofType('ready').length === 1, 30_000, 'A ready')
    expect(a.ofType('ready')[0]!.peers).toEqual([])
    const b = join('m1', 'bob')
    await waitFor(() => a.up.size === 1 && b.up.size === 1, 30_000, 'link A-B')
    const [aId] = b.ofType('ready')[0]!.peers
    const [bId] = [...a.up]
    expect([...b.up]).toEqual([aId])
    // ready comes before any link event
    expect(b.events[0]!.type).toBe('ready')

    const fromA = heartbeat('session-a')
    const fromB = heartbeat('session-b')
    a.session.send(fromA)
    b.session.send(fromB, aId)
    await waitFor(() => messagesFrom(b, aId!).length === 1 && messagesFrom(a, bId!).length === 1)
    expect(messagesFrom(b, aId!)).toEqual([fromA])
    expect(messagesFrom(a, bId!)).toEqual([fromB])
    // Garbage from a peer reaches core as is, for its validation to reject.
    expect(() => a.session.send(heartbeat('x'), 'cv-00-not-a-link')).not.toThrow()
    await a.session.drain?.()
  })

  it('on unsubscribe, closes the links (link-down on the other side) and leaves the directory', async () => {
    const a = join('m2', 'alice')
    await waitFor(() => a.ofType('ready').length === 1)
    const b = join('m2', 'bob')
    await waitFor(() => a.up.size === 1 && b.up.size === 1, 30_000, 'link A-B')
    const [bId] = [...a.up]
    expect(await listed('m2')).toHaveLength(2)
    const before = b.events.length
    b.close()
    await waitFor(() => a.ofType('link-down').length === 1, 20_000, 'link-down at A')
    expect(a.ofType('link-down')[0]!.linkId).toBe(bId)
    await waitFor(() => a.up.size === 0)
    expect((await listed('m2')).includes(bId!)).toBe(false)
    // Nothing reaches a closed session's observer, and sending on it is a no-op.
    b.session.send(heartbeat('late'))
    await sleep(200)
    expect(b.events.length).toBe(before)
    expect(a.ofType('disconnected')).toEqual([])
  })

  it('links three sessions into a mesh and keeps meetings apart', async () => {
    const a = join('m3', 'a')
    const other = join('elsewhere', 'x')
    await waitFor(() => a.ofType('ready').length === 1 && other.ofType('ready').length === 1)
    const b = join('m3', 'b')
    await waitFor(() => b.ofType('ready').length === 1)
    const c = join('m3', 'c')
    await waitFor(() => [a, b, c].every((s) => s.up.size === 2), 30_000, 'mesh of 3')
    expect(c.ofType('ready')[0]!.peers).toHaveLength(2)
    expect(other.up.size).toBe(0)
    expect((await listed('elsewhere')).length).toBe(1)
    c.session.send(heartbeat('c'))
    await waitFor(() => [a, b].every((s) => s.ofType('message').length === 1))
  })

  it('converges to one link per pair when five sessions join at the same moment', async () => {
    const group = ['p1', 'p2', 'p3', 'p4', 'p5'].map((p) => join('m5', p))
    await waitFor(() => group.every((s) => s.up.size === 4), 45_000, 'full mesh of 5')
    // Past the retirement grace of any losing duplicate: still exactly one link-up per pair, no blinks.
    await sleep(2000)
    for (const s of group) {
      expect(s.up.size).toBe(4)
      expect(s.ofType('link-up')).toHaveLength(4)
      expect(s.ofType('link-down')).toHaveLength(0)
    }
    // Underneath: 10 pairs, one RTCPeerConnection at each end, all in this process. A duplicate link
    // left open would show up here.
    await waitFor(() => connectedPeerConnections() === 20, 10_000, 'duplicates retired')
    await sleep(500)
    expect(connectedPeerConnections()).toBe(20)
    for (const s of group) s.session.send(heartbeat('all'))
    await waitFor(
      () => group.every((s) => s.ofType('message').length === 4),
      20_000,
      'messages on every link',
    )
  })
})
