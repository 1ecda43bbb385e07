/** What the relay says, turned into the transport contract's events: presence is the server's. */
import { describe, expect, it } from 'vitest'
import { LinkBook } from '../src/LinkBook.js'

const me = 'cv-me'
function ready(...peers: string[]) {
  const book = new LinkBook(me)
  book.welcome({ peers: peers.map((address) => ({ address, sid: `${address}#1` })) })
  return book
}

describe('LinkBook', () => {
  it("peer-left 'lost' or 'left' is a link-down and a presence-gone; 'replaced' only a link-down", () => {
    const book = ready('a', 'b', 'c')
    expect(book.left({ address: 'a', sid: 'a#1', reason: 'lost' })).toEqual([
      { type: 'link-down', linkId: 'a' },
      { type: 'presence-gone', linkId: 'a', reason: 'lost' },
    ])
    expect(book.left({ address: 'b', sid: 'b#1', reason: 'left' })).toEqual([
      { type: 'link-down', linkId: 'b' },
      { type: 'presence-gone', linkId: 'b', reason: 'left' },
    ])
    expect(book.left({ address: 'c', sid: 'c#1', reason: 'replaced' })).toEqual([
      { type: 'link-down', linkId: 'c' },
    ])
  })

  it('a stale, repeated or malformed peer-left changes nothing', () => {
    const book = ready('a')
    expect(book.left({ address: 'a', sid: 'a#0', reason: 'lost' })).toEqual([])
    expect(book.left({ address: 'a', sid: 'a#1', reason: 'vanished' })).toEqual([])
    expect(book.left({ address: 'a', sid: 'a#1', reason: 'lost' })).toHaveLength(2)
    expect(book.left({ address: 'a', sid: 'a#1', reason: 'lost' })).toEqual([])
  })

  it("after a fresh connect, an unlisted session is down, not gone, until its peer-left or the welcome's gone", () => {
    const book = ready('a', 'b', 'c')
    book.disconnected()
    const events = book.welcome({
      peers: [{ address: 'c', sid: 'c#1' }],
      gone: [{ address: 'b', sid: 'b#1', reason: 'left' }],
    })
    expect(events).toEqual([
      { type: 'reconnected' },
      { type: 'link-down', linkId: 'a' },
      { type: 'link-down', linkId: 'b' },
      { type: 'link-down', linkId: 'c' },
      { type: 'link-up', linkId: 'c' },
      { type: 'presence-gone', linkId: 'b', reason: 'left' },
    ])
    // A's departure was still held by the server: it comes later, once.
    expect(book.left({ address: 'a', sid: 'a#1', reason: 'lost' })).toEqual([
      { type: 'presence-gone', linkId: 'a', reason: 'lost' },
    ])
    expect(book.left({ address: 'a', sid: 'a#1', reason: 'lost' })).toEqual([])
  })

  it('an unlisted session that comes back on a new socket is linked again, not gone', () => {
    const book = ready('a')
    book.disconnected()
    book.welcome({ peers: [] })
    expect(book.joined({ address: 'a', sid: 'a#2' })).toEqual([{ type: 'link-up', linkId: 'a' }])
    expect(book.left({ address: 'a', sid: 'a#1', reason: 'lost' })).toEqual([])
  })
})
