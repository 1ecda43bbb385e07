/** What the relay says, turned into the transport contract's events: presence is the server's. */

import { createPeerId, RELAY_PROTOCOL_VERSION } from '@convene/core/wire'
import { describe, expect, it } from 'vitest'
import { LinkBook } from '../src/LinkBook.js'

const me = 'cv-me'
const record = {
  role: 'participant',
  name: 'x',
  joinedAt: 1,
  media: { mic: true, webcam: true },
  verified: true,
}
const member = (address: string, sid: string) => ({ address, sid, ...record })
function ready(...peers: string[]) {
  const book = new LinkBook(me)
  book.welcome({
    protocol: RELAY_PROTOCOL_VERSION,
    peers: peers.map((address) => member(address, `${address}#1`)),
  })
  return book
}
/** The relay's `peers-left`, one departure. */
const gone = (address: string, sid: string, reason: string) => ({ gone: [{ address, sid, reason }] })

describe('LinkBook', () => {
  it("a link-up carries the relay's record: who the session is, as core admits it without a hello", () => {
    const book = new LinkBook(me)
    const host = createPeerId('standup', 'alice', 's1')
    const events = book.welcome({
      protocol: RELAY_PROTOCOL_VERSION,
      peers: [{ ...member(host, 'sid1'), role: 'host', name: 'Alice' }],
    })
    expect(events).toEqual([
      { type: 'ready', peers: [host] },
      {
        type: 'link-up',
        linkId: host,
        peer: {
          participant: { id: 'alice', name: 'Alice', role: 'host' },
          session: 's1',
          joinedAt: 1,
          media: { mic: true, webcam: true },
          verified: true,
        },
      },
    ])
    // A record of the wrong shape is no member: nothing is linked.
    expect(book.joined({ joined: [{ address: createPeerId('standup', 'bob', 's2'), sid: 'sid2' }] })).toEqual(
      [],
    )
    // Arrivals come in batches; one that is already linked under the same socket changes nothing.
    const carol = createPeerId('standup', 'carol', 's3')
    expect(book.joined({ joined: [member(host, 'sid1'), member(carol, 'sid3'), member(me, 'x')] })).toEqual([
      expect.objectContaining({ type: 'link-up', linkId: carol }),
    ])
  })

  it("a departure 'lost' or 'left' is a presence-gone and a link-down; 'replaced' nothing", () => {
    const book = ready('a', 'b', 'c')
    expect(book.left(gone('a', 'a#1', 'lost'))).toEqual([
      { type: 'presence-gone', linkId: 'a', reason: 'lost' },
      { type: 'link-down', linkId: 'a' },
    ])
    expect(book.left(gone('b', 'b#1', 'left'))).toEqual([
      { type: 'presence-gone', linkId: 'b', reason: 'left' },
      { type: 'link-down', linkId: 'b' },
    ])
    // The same session on a newer socket: nothing for core; its arrival under the new socket follows,
    // with the same record: nothing for core either, but its departure is now that socket's.
    expect(book.left(gone('c', 'c#1', 'replaced'))).toEqual([])
    expect(book.joined({ joined: [member('c', 'c#2')] })).toEqual([])
    expect(book.left(gone('c', 'c#1', 'lost'))).toEqual([])
    expect(book.left(gone('c', 'c#2', 'lost'))).toHaveLength(2)
  })

  it('a stale, repeated or malformed departure changes nothing', () => {
    const book = ready('a')
    expect(book.left(gone('a', 'a#0', 'lost'))).toEqual([])
    expect(book.left(gone('a', 'a#1', 'vanished'))).toEqual([])
    expect(book.left(gone('a', 'a#1', 'lost'))).toHaveLength(2)
    expect(book.left(gone('a', 'a#1', 'lost'))).toEqual([])
  })

  it("after a fresh connect, an unlisted session is down, not gone, until its departure or the welcome's gone", () => {
    const book = ready('a', 'b', 'c')
    book.disconnected()
    const events = book.welcome({
      protocol: RELAY_PROTOCOL_VERSION,
      peers: [member('c', 'c#1'), member('d', 'd#1')],
      gone: [{ address: 'b', sid: 'b#1', reason: 'left' }],
    })
    // C is listed under the same socket: unchanged. D is news.
    expect(events).toEqual([
      { type: 'reconnected' },
      { type: 'link-down', linkId: 'a' },
      { type: 'link-down', linkId: 'b' },
      { type: 'link-up', linkId: 'd' },
      { type: 'presence-gone', linkId: 'b', reason: 'left' },
    ])
    // A's departure was still held by the server: it comes later, once.
    expect(book.left(gone('a', 'a#1', 'lost'))).toEqual([
      { type: 'presence-gone', linkId: 'a', reason: 'lost' },
    ])
    expect(book.left(gone('a', 'a#1', 'lost'))).toEqual([])
  })

  it('an unlisted session that comes back on a new socket is linked again, not gone', () => {
    const book = ready('a')
    book.disconnected()
    book.welcome({ protocol: RELAY_PROTOCOL_VERSION, peers: [] })
    expect(book.joined({ joined: [member('a', 'a#2')] })).toEqual([{ type: 'link-up', linkId: 'a' }])
    expect(book.left(gone('a', 'a#1', 'lost'))).toEqual([])
  })

  it('a linked session on a new socket with the same record costs core nothing; with another record, a link-up', () => {
    const book = ready('a', 'b')
    // A herd back after its node died: each returner is one arrival for every participant.
    expect(book.joined({ joined: [member('a', 'a#2'), { ...member('b', 'b#2'), name: 'renamed' }] })).toEqual(
      [{ type: 'link-up', linkId: 'b' }],
    )
    expect(book.left(gone('a', 'a#1', 'lost'))).toEqual([])
    expect(book.left(gone('a', 'a#2', 'left'))).toEqual([
      { type: 'presence-gone', linkId: 'a', reason: 'left' },
      { type: 'link-down', linkId: 'a' },
    ])
  })

  it('after a fresh connect, a session the welcome lists as away under the socket we know stays linked until its return or departure', () => {
    const book = ready('a', 'b', 'c', 'd')
    book.disconnected()
    const events = book.welcome({
      protocol: RELAY_PROTOCOL_VERSION,
      // C came back before us, on a new socket; A and B are held (their node died too); D is away
      // under a socket we never knew of.
      peers: [member('c', 'c#2')],
      away: [
        { address: 'a', sid: 'a#1' },
        { address: 'b', sid: 'b#1' },
        { address: 'd', sid: 'd#9' },
      ],
    })
    expect(events).toEqual([{ type: 'reconnected' }, { type: 'link-down', linkId: 'd' }])
    // A comes back: nothing for core. B does not: its departure is told once.
    expect(book.joined({ joined: [member('a', 'a#2')] })).toEqual([])
    expect(book.left(gone('b', 'b#1', 'lost'))).toEqual([
      { type: 'presence-gone', linkId: 'b', reason: 'lost' },
      { type: 'link-down', linkId: 'b' },
    ])
    expect(book.left(gone('a', 'a#1', 'lost'))).toEqual([])
  })
})
