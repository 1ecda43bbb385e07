import { createPeerId, SIGNALLING_PRESENCE_TYPE } from '@convene/core/wire'
import { type ConveneServer, createSignallingToken } from '@convene/server'
import { describe, expect, it } from 'vitest'
import { startAuthServer } from './authSupport.js'
import { peerIdIn } from './helpers.js'
import { type Inbox, signallingRig } from './presenceSupport.js'
import { createSessionKey } from './sessionKey.js'
import { boundToken, newSecret } from './signallingSupport.js'

const { start, join, keep } = signallingRig()

/**
 * Registers `ids` one after another, each once the one before heard its snapshot, and checks that each
 * member is told every registration after its own, in order, up to the full list.
 */
async function meeting(server: ConveneServer, ids: string[]): Promise<Inbox[]> {
  const joined: Inbox[] = []
  for (const id of ids) {
    const inbox = await join(server, id)
    expect(await inbox.presence()).toEqual(ids.slice(0, joined.length + 1))
    joined.push(inbox)
  }
  for (const [index, inbox] of joined.entries()) {
    for (let size = index + 2; size <= ids.length; size++)
      expect(await inbox.presence()).toEqual(ids.slice(0, size))
  }
  return joined
}

describe('the server tells each session who of its meeting is connected to signalling', () => {
  it('tells every member each registration, with the newcomer its snapshot, and no other meeting', async () => {
    const server = await start()
    const [a, b, c] = [peerIdIn('alpha'), peerIdIn('alpha'), peerIdIn('alpha')]
    const other = peerIdIn('beta')
    const [alice, bob] = await meeting(server, [a, b])
    const outsider = await join(server, other)
    expect(await outsider.presence()).toEqual([other])
    const carol = await join(server, c)
    expect(await carol.presence()).toEqual([a, b, c])
    expect(await alice!.presence()).toEqual([a, b, c])
    expect(await bob!.presence()).toEqual([a, b, c])
    // The outsider heard nothing of alpha: a message relayed to it now is the next thing it reads.
    alice!.send({ type: 'CANDIDATE', dst: other, payload: { connectionId: 'x' } })
    expect(await outsider.next()).toMatchObject({ type: 'CANDIDATE', src: a })
  })

  it('drops a session whose socket closed without a goodbye, and tells the rest', async () => {
    const server = await start()
    const ids = [peerIdIn('alpha'), peerIdIn('alpha'), peerIdIn('alpha'), peerIdIn('alpha')]
    const [alice, bob, carol, dave] = await meeting(server, ids)
    dave!.socket.terminate() // a crash: the TCP connection ends, no close frame, no LEAVE
    for (const inbox of [alice, bob, carol]) expect(await inbox!.presence()).toEqual(ids.slice(0, 3))
  })

  it('drops a session that neither pings nor answers ping frames (suspended, cut off) once aliveTimeoutMs passes, and keeps those that ping', async () => {
    const server = await start({ aliveTimeoutMs: 1000 })
    const ids = [peerIdIn('alpha'), peerIdIn('alpha'), peerIdIn('alpha')]
    const alice = await join(server, ids[0]!)
    expect(await alice.presence()).toEqual([ids[0]])
    const bob = await join(server, ids[1]!, undefined, false)
    expect(await alice.presence()).toEqual(ids.slice(0, 2))
    const carol = await join(server, ids[2]!)
    expect(await alice.presence()).toEqual(ids)
    expect(await carol.presence()).toEqual(ids)
    // A live client's socket stays open as long as its pings come, however quiet it is otherwise.
    const pinging = setInterval(() => {
      for (const inbox of [alice, carol]) inbox!.send({ type: 'HEARTBEAT' })
    }, 200)
    try {
      expect(await alice!.presence()).toEqual([ids[0], ids[2]])
      expect(await carol!.presence()).toEqual([ids[0], ids[2]])
      expect(bob!.socket.readyState).not.toBe(bob!.socket.OPEN)
      expect([alice!.socket.readyState, carol!.socket.readyState]).toEqual([1, 1])
    } finally {
      clearInterval(pinging)
    }
  })

  it('keeps a session whose page sends nothing but whose socket answers ping frames (a frozen tab)', async () => {
    const server = await start({ aliveTimeoutMs: 1000 })
    const ids = [peerIdIn('alpha'), peerIdIn('alpha')]
    const [alice, frozen] = await meeting(server, ids)
    const pinging = setInterval(() => alice!.send({ type: 'HEARTBEAT' }), 200)
    let pongs = 0
    frozen!.socket.on('ping', () => pongs++)
    try {
      await new Promise((resolve) => setTimeout(resolve, 3000))
      expect(frozen!.socket.readyState).toBe(frozen!.socket.OPEN)
      expect(pongs).toBeGreaterThanOrEqual(4)
      // Still listed: a new member's snapshot names it.
      const carol = await join(server, peerIdIn('alpha'))
      expect(await carol.presence()).toEqual([...ids, carol.id])
    } finally {
      clearInterval(pinging)
    }
  })

  it('drops a session at its LEAVE, before its socket closes', async () => {
    const server = await start()
    const [a, b] = [peerIdIn('alpha'), peerIdIn('alpha')]
    const [alice, bob] = await meeting(server, [a, b])
    bob!.send({ type: 'LEAVE' })
    expect(await alice!.presence()).toEqual([a])
    expect(bob!.socket.readyState).toBe(bob!.socket.OPEN)
  })

  it('does not relay a presence message a client sends: only the server can tell it', async () => {
    const server = await start()
    const [a, b] = [peerIdIn('alpha'), peerIdIn('alpha')]
    const [alice, bob] = await meeting(server, [a, b])
    const forged = { type: SIGNALLING_PRESENCE_TYPE, dst: b, payload: { peers: [b] } }
    alice!.send(forged)
    alice!.send({ ...forged, dst: undefined })
    // PeerServer relays in order over Bob's one socket: had it relayed the forgery, it would come first.
    alice!.send({ type: 'CANDIDATE', dst: b, payload: { connectionId: 'x' } })
    expect(await bob!.next()).toMatchObject({ type: 'CANDIDATE', src: a })
    // And nobody was told anything: the next news is a real one.
    const carol = await join(server, peerIdIn('alpha'))
    expect(await bob!.presence()).toEqual([a, b, carol.id])
  })

  it('lists only Convene peer ids', async () => {
    const server = await start()
    const a = peerIdIn('alpha')
    const [alice] = await meeting(server, [a])
    const stranger = await join(server, 'not-a-convene-id')
    // A Convene id's shape with a part that is not UTF-8: not a Convene peer id either.
    const broken = await join(server, `cv-${Buffer.from('alpha').toString('hex')}-ff-00`)
    const bob = await join(server, peerIdIn('alpha'))
    expect(await bob.presence()).toEqual([a, bob.id])
    expect(await alice!.presence()).toEqual([a, bob.id])
    for (const inbox of [stranger, broken]) {
      alice!.send({ type: 'CANDIDATE', dst: inbox.id, payload: { connectionId: 'x' } })
      expect(await inbox.next()).toMatchObject({ type: 'CANDIDATE', src: a })
    }
  })
})

describe('with auth', () => {
  it('lists the sessions whose proof was verified', async () => {
    const { server } = await startAuthServer({}, { port: 0, host: '127.0.0.1' })
    keep(server)
    const proven = async (participantId: string) => {
      const session = await createSessionKey()
      const token = await boundToken(server, session, 'standup', participantId)
      const peerId = createPeerId('standup', participantId, 's1')
      const value = await createSignallingToken({ peerId, secret: newSecret(), token, sign: session.sign })
      return join(server, peerId, value)
    }
    const ada = await proven('ada')
    expect(await ada.presence()).toEqual([ada.id])
    await expect(join(server, createPeerId('standup', 'eve', 's1'), 'forged')).rejects.toThrow('HTTP 401')
    const bo = await proven('bo')
    expect(await bo.presence()).toEqual([ada.id, bo.id])
    expect(await ada.presence()).toEqual([ada.id, bo.id])
  })
})
