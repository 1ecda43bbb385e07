/**
 * Signalling presence over a real PeerServer: what the transport tells core of who holds an open
 * signalling connection (`signalling-presence`), as sessions register, crash, freeze, leave, and as
 * its own connection drops; and that it believes only well-formed lists from its server.
 */
import './support/webrtc.js'
import { randomUUID } from 'node:crypto'
import type { TransportEvent } from '@convene/core'
import { createPeerId, parsePeerId, SIGNALLING_PRESENCE_TYPE, signallingPresence } from '@convene/core/wire'
import type { ConveneServer } from '@convene/server'
import { afterEach, describe, expect, it } from 'vitest'
import { type FakePeerServer, startFakePeerServer } from './support/fakePeerServer.js'
import { ParticipantProcess } from './support/participants.js'
import { waitFor } from './support/sessions.js'

const { createConveneServer } = await import('@convene/server')
const { createPeerJSTransport } = await import('@convene/transport-peerjs')

type Presence = readonly string[] | null

interface Session {
  readonly id: string
  readonly events: TransportEvent[]
  /** Every list the session told core, in order. */
  presence(): Presence[]
  /** The last list told, `undefined` before the first. */
  last(): Presence | undefined
  close(): void
}

const sessions: Session[] = []
const servers: (ConveneServer | FakePeerServer)[] = []
const processes: ParticipantProcess[] = []

afterEach(async () => {
  // Every session here is honest and its server too: any error is a failure of the test.
  const errors = sessions.flatMap((s) => s.events.filter((e) => e.type === 'error'))
  for (const s of sessions.splice(0)) s.close()
  await Promise.all(processes.splice(0).map((p) => p.stop()))
  await Promise.all(servers.splice(0).map((s) => s.close()))
  expect(errors).toEqual([])
})

async function startServer(port = 0, aliveTimeoutMs?: number): Promise<ConveneServer> {
  const server = await createConveneServer({
    port,
    ...(aliveTimeoutMs === undefined ? {} : { aliveTimeoutMs }),
  })
  servers.push(server)
  return server
}

function join(port: number, meetingId: string, participantId: string): Session {
  const sessionId = randomUUID()
  const session = createPeerJSTransport({ port, reconnect: 100 }).session({
    meetingId,
    participantId,
    sessionId,
  })
  const events: TransportEvent[] = []
  const subscription = session.events.subscribe({ next: (event) => events.push(event) })
  const presence = () => events.flatMap((e) => (e.type === 'signalling-presence' ? [e.connected] : []))
  const opened: Session = {
    id: createPeerId(meetingId, participantId, sessionId),
    events,
    presence,
    last: () => presence().at(-1),
    close: () => subscription.unsubscribe(),
  }
  sessions.push(opened)
  return opened
}

const ready = (...group: Session[]) =>
  waitFor(() => group.every((s) => s.events.some((e) => e.type === 'ready')), 30_000, 'ready')
const same = (a: Presence | undefined, b: Presence) => JSON.stringify(a) === JSON.stringify(b)
/** Waits until each session's last list is `expected(session)`. */
const told = (group: Session[], expected: (s: Session) => Presence, what: string) =>
  waitFor(() => group.every((s) => same(s.last(), expected(s))), 30_000, what)

describe('signalling presence', () => {
  it('lists each newcomer to the others and gives it a snapshot, after ready; a leaver goes at its LEAVE', async () => {
    const server = await startServer()
    const a = join(server.port, 'snap', 'a')
    await ready(a)
    const b = join(server.port, 'snap', 'b')
    await ready(b)
    await told([a], () => [b.id], 'b listed to a')
    const c = join(server.port, 'snap', 'c')
    await ready(c)
    await told([a, b, c], (s) => [a.id, b.id, c.id].filter((id) => id !== s.id), 'c listed')
    // Exactly one list per change, never naming the session itself.
    expect(a.presence()).toEqual([[], [b.id], [b.id, c.id]])
    expect(b.presence()).toEqual([[a.id], [a.id, c.id]])
    expect(c.presence()).toEqual([[a.id, b.id]])
    // Held for ready: core hears who is in the room before who of them is connected.
    const firstReady = c.events.findIndex((e) => e.type === 'ready')
    expect(c.events.findIndex((e) => e.type === 'signalling-presence')).toBeGreaterThan(firstReady)

    c.close()
    await told([a, b], (s) => (s === a ? [b.id] : [a.id]), 'c gone at its LEAVE')
  })

  it('keeps listing a frozen session (its socket stays open) and drops a crashed one (its socket closes)', async () => {
    // Frozen for less than the server's liveness timeout, however long e's join takes on a busy machine.
    const server = await startServer(0, 120_000)
    const [a, b, c] = ['a', 'b', 'c'].map((p) => join(server.port, 'crash', p)) as [Session, Session, Session]
    await ready(a, b, c)
    const dave = await ParticipantProcess.start({ port: server.port, meetingId: 'crash', id: 'dave' })
    processes.push(dave)
    // Its join waits on hellos these bare sessions never send; only its signalling matters here.
    dave.command('join').catch(() => {})
    const isDave = (id: string) => parsePeerId(id)?.participantId === 'dave'
    await waitFor(() => [a, b, c].every((s) => s.last()?.some(isDave)), 60_000, 'dave listed')
    const daveId = a.last()!.find(isDave)!
    const others = (s: Session) => [a.id, b.id, c.id].filter((id) => id !== s.id)

    dave.pause()
    const e = join(server.port, 'crash', 'e')
    await ready(e)
    await told([e], () => [a.id, b.id, c.id, daveId], 'e told dave is connected while frozen')
    const withE = (s: Session) => [...others(s), daveId, e.id].filter((id) => id !== s.id)
    await told([a, b, c], withE, 'e listed')

    dave.crash()
    await told([a, b, c, e], (s) => withE(s).filter((id) => id !== daveId), 'dave gone')
  })

  it('drops a session frozen past the server liveness timeout (its pings stop), and lists it again once it runs', async () => {
    const server = await startServer(0, 3000)
    const [a, b] = ['a', 'b'].map((p) => join(server.port, 'frozen', p)) as [Session, Session]
    await ready(a, b)
    const dave = await ParticipantProcess.start({ port: server.port, meetingId: 'frozen', id: 'dave' })
    processes.push(dave)
    dave.command('join').catch(() => {})
    const isDave = (id: string) => parsePeerId(id)?.participantId === 'dave'
    await waitFor(() => [a, b].every((s) => s.last()?.some(isDave)), 60_000, 'dave listed')
    // Two bare sessions ping every 2 s like any Convene session; dave stops running, so his pings stop.
    dave.pause()
    await told([a, b], (s) => (s === a ? [b.id] : [a.id]), 'dave dropped by the server')
    dave.resume()
    await waitFor(() => [a, b].every((s) => s.last()?.some(isDave)), 60_000, 'dave listed again')
  })

  it('says it cannot tell while its own signalling is down, and lists again once registered again', async () => {
    const first = await startServer()
    const port = first.port
    const a = join(port, 'drop', 'a')
    await ready(a)
    const b = join(port, 'drop', 'b')
    await told([a, b], (s) => (s === a ? [b.id] : [a.id]), 'both listed')
    await first.close()
    servers.splice(servers.indexOf(first), 1)
    await told([a, b], () => null, 'null while down')
    await startServer(port)
    await told([a, b], (s) => (s === a ? [b.id] : [a.id]), 'listed again')
  })
})

describe('what the transport believes', () => {
  it('drops a malformed list whole, and PeerJS passes the type by without an error', async () => {
    const fake = await startFakePeerServer()
    servers.push(fake)
    const s = join(fake.port, 'm', 'a')
    const socket = await fake.nextClient()
    const other = createPeerId('m', 'b', 's1')
    const send = (message: unknown) => socket.send(JSON.stringify(message))
    send(signallingPresence([s.id, other]))
    send(signallingPresence([other, createPeerId('elsewhere', 'b', 's1')]))
    send({ type: SIGNALLING_PRESENCE_TYPE, payload: { peers: other } })
    send({ type: SIGNALLING_PRESENCE_TYPE, payload: { peers: [other, other] } })
    send({ type: SIGNALLING_PRESENCE_TYPE, payload: { connectionId: 'c1' } })
    send({ type: SIGNALLING_PRESENCE_TYPE })
    send(signallingPresence(null))
    await ready(s)
    await waitFor(() => s.presence().length === 2, 30_000, 'the two good lists')
    expect(s.presence()).toEqual([[other], null])
  })
})
