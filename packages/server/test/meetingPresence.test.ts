import { createPeerId, SIGNALLING_PRESENCE_TYPE } from '@convene/core/wire'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { createMeetingPresence, type PresenceClient } from '../src/signalling/meetingPresence.js'

/** A PeerServer client whose socket records what it is sent (`readyState` 1 is ws's OPEN). */
function client(id: string, socket: { readyState: number; fails?: boolean } = { readyState: 1 }) {
  const sent: unknown[] = []
  const fake: PresenceClient & { sent: unknown[]; socket: typeof socket } = {
    sent,
    socket,
    getId: () => id,
    getSocket: () => ({
      readyState: socket.readyState,
      send: (text: string) => {
        if (socket.fails) throw new Error('write after end')
        sent.push(JSON.parse(text))
      },
    }),
  }
  return fake
}

const peers = (message: unknown) => {
  expect(message).toMatchObject({ type: SIGNALLING_PRESENCE_TYPE })
  return (message as { payload: { peers: unknown } }).payload.peers
}
const lastPeers = (c: { sent: unknown[] }) => peers(c.sent.at(-1))
const id = (participant: string, meeting = 'alpha') => createPeerId(meeting, participant, 's1')
const log = pino({ level: 'silent' })

describe('meeting presence', () => {
  it('tells a session that left nothing more, and its later close changes nothing', () => {
    const presence = createMeetingPresence(log)
    const [alice, bob, carol] = [client(id('a')), client(id('b')), client(id('c'))]
    presence.registered(alice)
    presence.registered(bob)
    presence.left(bob)
    expect(alice.sent.map(peers)).toEqual([[id('a')], [id('a'), id('b')], [id('a')]])
    presence.closed(bob)
    presence.registered(carol)
    expect(bob.sent.map(peers)).toEqual([[id('a'), id('b')]])
    expect(alice.sent.map(peers)).toEqual([[id('a')], [id('a'), id('b')], [id('a')], [id('a'), id('c')]])
  })

  it('ignores a close reported for a client its id no longer belongs to', () => {
    const presence = createMeetingPresence(log)
    const [alice, bob] = [client(id('a')), client(id('b'))]
    presence.registered(alice)
    presence.registered(bob)
    presence.left(bob)
    const bobAgain = client(id('b'))
    presence.registered(bobAgain)
    presence.closed(bob)
    expect(lastPeers(alice)).toEqual([id('a'), id('b')])
    expect(alice.sent).toHaveLength(4)
  })

  it('sends a client back on a new socket its snapshot, and nobody else anything', () => {
    const presence = createMeetingPresence(log)
    const [alice, bob] = [client(id('a')), client(id('b'))]
    presence.registered(alice)
    presence.registered(bob)
    presence.registered(bob)
    expect(alice.sent).toHaveLength(2)
    expect(bob.sent.map(peers)).toEqual([
      [id('a'), id('b')],
      [id('a'), id('b')],
    ])
  })

  it('keeps telling the others when a socket is closing or throws', () => {
    const presence = createMeetingPresence(log)
    const [alice, closing, broken, dave] = [
      client(id('a')),
      client(id('b'), { readyState: 2 }),
      client(id('c'), { readyState: 1, fails: true }),
      client(id('d')),
    ]
    for (const c of [alice, closing, broken, dave]) presence.registered(c)
    expect(lastPeers(alice)).toEqual([id('a'), id('b'), id('c'), id('d')])
    expect(lastPeers(dave)).toEqual([id('a'), id('b'), id('c'), id('d')])
    expect(closing.sent).toEqual([])
    expect(broken.sent).toEqual([])
  })

  it('tells a meeting larger than the limit `null`, and the list again once it is back under', () => {
    const presence = createMeetingPresence(log, 2)
    const [alice, bob, carol] = [client(id('a')), client(id('b')), client(id('c'))]
    for (const c of [alice, bob, carol]) presence.registered(c)
    expect(lastPeers(alice)).toBeNull()
    expect(lastPeers(carol)).toBeNull()
    presence.closed(carol)
    expect(lastPeers(alice)).toEqual([id('a'), id('b')])
  })

  it('keeps meetings apart and ignores ids that are not Convene peer ids', () => {
    const presence = createMeetingPresence(log)
    const [alice, other, stranger] = [client(id('a')), client(id('o', 'beta')), client('someone')]
    for (const c of [alice, other, stranger]) presence.registered(c)
    expect(alice.sent.map(peers)).toEqual([[id('a')]])
    expect(other.sent.map(peers)).toEqual([[id('o', 'beta')]])
    expect(stranger.sent).toEqual([])
  })
})
