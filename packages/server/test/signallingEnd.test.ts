/**
 * A host's END sent over its signalling socket (`CONVENE-END`) and passed on by the server to the other
 * sessions of its meeting (`CONVENE-ENDED`): for a data link that carries nothing while the PeerServer
 * WebSocket stays healthy. Raw WebSockets on a real server, as PeerJS clients open them.
 */
import {
  createPeerId,
  SIGNALLING_END_TYPE,
  SIGNALLING_ENDED_TYPE,
  SIGNALLING_PRESENCE_TYPE,
} from '@convene/core/wire'
import { createSignallingToken } from '@convene/server'
import { describe, expect, it } from 'vitest'
import { postToken, startAuthServer } from './authSupport.js'
import { endOf, peerIdIn } from './helpers.js'
import { type Inbox, type ServerMessage, signallingRig } from './presenceSupport.js'
import { createSessionKey } from './sessionKey.js'
import { newSecret } from './signallingSupport.js'

const { start, join, keep } = signallingRig()

/** The next message that is not a presence list (every registration brings one). */
async function nextNews(inbox: Inbox): Promise<ServerMessage> {
  for (;;) {
    const message = await inbox.next()
    if (message.type !== SIGNALLING_PRESENCE_TYPE) return message
  }
}

const end = (text: string) => ({ type: SIGNALLING_END_TYPE, payload: text })
const ended = (src: string) => ({ type: SIGNALLING_ENDED_TYPE, src, payload: endOf(src) })

/**
 * `from` sends a marker to each of `to` through PeerServer (which relays in order over one socket):
 * each one's next news is that marker, so nothing was relayed to it before.
 */
async function nothingMoreFor(from: Inbox, to: Inbox[]): Promise<void> {
  for (const inbox of to) from.send({ type: 'CANDIDATE', dst: inbox.id, payload: { connectionId: 'mark' } })
  for (const inbox of to) expect(await nextNews(inbox)).toMatchObject({ type: 'CANDIDATE', src: from.id })
}

describe('a host END over signalling, without auth', () => {
  it('is passed on to every other session of its meeting, once, and to no other meeting', async () => {
    const server = await start()
    const [alice, bob, carol] = [
      await join(server, peerIdIn('alpha', 'alice')),
      await join(server, peerIdIn('alpha', 'bob')),
      await join(server, peerIdIn('alpha', 'carol')),
    ]
    const outsider = await join(server, peerIdIn('beta', 'olga'))
    alice.send(end(endOf(alice.id)))
    for (const inbox of [bob, carol]) expect(await nextNews(inbox)).toEqual(ended(alice.id))
    // An END is terminal: a second one (a resend, or a client looping) is not passed on.
    alice.send(end(endOf(alice.id)))
    await nothingMoreFor(outsider, [alice, bob, carol])
    await nothingMoreFor(alice, [outsider])
  })

  it("passes on only the sender's own END, in its own name", async () => {
    const server = await start()
    const [alice, bob] = [await join(server, peerIdIn('alpha')), await join(server, peerIdIn('alpha'))]
    alice.send(end(endOf(alice.id, 'someone-else'))) // in another session's name
    alice.send(end(endOf(bob.id))) // another session's END, as if relayed
    await nothingMoreFor(alice, [bob])
    // Refused ones do not count as its one END: its own still goes through.
    alice.send(end(endOf(alice.id)))
    expect(await nextNews(bob)).toEqual(ended(alice.id))
  })

  it('ignores malformed ones, never answers them, and keeps serving', async () => {
    const server = await start()
    const [alice, bob] = [await join(server, peerIdIn('alpha')), await join(server, peerIdIn('alpha'))]
    const own = JSON.parse(endOf(alice.id)) as Record<string, unknown>
    for (const payload of [
      undefined,
      null,
      42,
      own, // the END as an object, not its text
      'not json',
      JSON.stringify({ ...own, v: 2 }),
      JSON.stringify({ ...own, type: 'leave' }),
      JSON.stringify({ ...own, seq: -1 }),
      JSON.stringify({ ...own, pad: 'x'.repeat(5000) }),
    ]) {
      alice.send({ type: SIGNALLING_END_TYPE, payload })
    }
    alice.socket.send('not json at all')
    alice.socket.send('null')
    // Nor can a client send the server's message: PeerServer relays no type it does not know.
    alice.send({ ...ended(alice.id), dst: bob.id })
    await nothingMoreFor(alice, [bob])
    await nothingMoreFor(bob, [alice])
    alice.send(end(endOf(alice.id)))
    expect(await nextNews(bob)).toEqual(ended(alice.id))
    // Still serving: a newcomer registers and is listed.
    const carol = await join(server, peerIdIn('alpha'))
    expect(await carol.presence()).toEqual([alice.id, bob.id, carol.id])
  })
})

describe('a host END over signalling, with auth', () => {
  it("is passed on only from a session whose verified token is a host's", async () => {
    const { server } = await startAuthServer({}, { port: 0, host: '127.0.0.1' })
    keep(server)
    const proven = async (participantId: string, role: 'host' | 'participant') => {
      const session = await createSessionKey()
      const response = await postToken(server, {
        meetingId: 'standup',
        participantId,
        role,
        publicKey: session.publicJwk,
      })
      const { token } = (await response.json()) as { token: string }
      const peerId = createPeerId('standup', participantId, 's1')
      const value = await createSignallingToken({ peerId, secret: newSecret(), token, sign: session.sign })
      return join(server, peerId, value)
    }
    const ada = await proven('ada', 'host')
    const bo = await proven('bo', 'participant')
    const cy = await proven('cy', 'participant')
    // A participant's END, well formed and its own: the server does not pass it on.
    bo.send(end(endOf(bo.id)))
    await nothingMoreFor(bo, [ada, cy])
    ada.send(end(endOf(ada.id)))
    for (const inbox of [bo, cy]) expect(await nextNews(inbox)).toEqual(ended(ada.id))
    await nothingMoreFor(cy, [ada])
  })
})
