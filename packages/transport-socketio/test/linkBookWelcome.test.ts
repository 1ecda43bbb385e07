/** What a LinkBook makes of a welcome: the relay's protocol version, a welcome asked for again, a missed END. */
import { isMeetingError } from '@convene/core'
import { RELAY_PROTOCOL_VERSION } from '@convene/core/wire'
import { describe, expect, it } from 'vitest'
import { LinkBook } from '../src/LinkBook.js'

const member = (address: string, sid: string, role = 'participant') => ({
  address,
  sid,
  role,
  name: address,
  joinedAt: 1,
  media: { mic: true, webcam: true },
  verified: true,
})
const welcome = (fields: Record<string, unknown> = {}) => ({
  protocol: RELAY_PROTOCOL_VERSION,
  peers: [],
  ...fields,
})
const END = JSON.stringify({ v: 1, session: 's-host', seq: 3, type: 'end', origin: 's-host' })

describe('LinkBook and the welcome', () => {
  it.each([
    ['names no protocol (a relay older than versions)', { peers: [] }],
    ['names another protocol', { protocol: RELAY_PROTOCOL_VERSION + 1, peers: [] }],
    ['is no object', null],
  ])('a welcome that %s is a fatal PROTOCOL_VERSION error, and nothing else', (_label, value) => {
    const book = new LinkBook('me')
    const events = book.welcome(value)
    expect(events).toHaveLength(1)
    const [event] = events as [{ type: string; fatal: boolean; error: unknown }]
    expect(event).toMatchObject({ type: 'error', fatal: true })
    expect(isMeetingError(event.error) && event.error.code).toBe('PROTOCOL_VERSION')
    expect(book.isReady).toBe(false)
  })

  it('a welcome still awaited when the socket is recovered: asked for, and the session is back only once it comes', () => {
    const book = new LinkBook('me')
    expect(book.connected(false)).toEqual([])
    expect(book.awaitingWelcome).toBe(true)
    // The first welcome is lost in a drop; the socket is recovered.
    expect(book.disconnected()).toEqual([])
    expect(book.connected(true)).toEqual([])
    expect(book.awaitingWelcome).toBe(true)
    expect(book.welcome(welcome({ peers: [member('a', 'a#1')] }))).toEqual([
      { type: 'ready', peers: ['a'] },
      expect.objectContaining({ type: 'link-up', linkId: 'a' }),
    ])
    expect(book.awaitingWelcome).toBe(false)
    // A returner: a fresh connect whose welcome is lost, then recovered.
    expect(book.disconnected()).toEqual([{ type: 'disconnected' }])
    book.connected(false)
    book.disconnected()
    expect(book.connected(true)).toEqual([])
    expect(book.welcome(welcome({ peers: [member('a', 'a#1')] }))).toEqual([{ type: 'reconnected' }])
    // Recovered with its welcome had: back at once.
    book.disconnected()
    expect(book.connected(true)).toEqual([{ type: 'reconnected' }])
  })

  it("a host's END that went out while a returner was away comes first, from the session it knew", () => {
    const book = new LinkBook('me')
    book.connected(false)
    book.welcome(welcome({ peers: [member('host', 'h#1', 'host'), member('b', 'b#1')] }))
    book.disconnected()
    book.connected(false)
    const ended = { address: 'host', sid: 'h#1', data: END }
    const gone = [
      { address: 'host', sid: 'h#1', reason: 'left' },
      { address: 'b', sid: 'b#1', reason: 'left' },
    ]
    expect(book.welcome(welcome({ ended, gone }))).toEqual([
      { type: 'message', linkId: 'host', data: JSON.parse(END) },
      { type: 'reconnected' },
      { type: 'link-down', linkId: 'host' },
      { type: 'link-down', linkId: 'b' },
      { type: 'presence-gone', linkId: 'host', reason: 'left' },
      { type: 'presence-gone', linkId: 'b', reason: 'left' },
    ])
  })

  it('an END in the welcome of a session that joins after it, or from a session it never knew, is nothing', () => {
    const ended = { address: 'host', sid: 'h#1', data: END }
    const joiner = new LinkBook('me')
    expect(joiner.welcome(welcome({ ended, peers: [member('c', 'c#1')] }))).toEqual([
      { type: 'ready', peers: ['c'] },
      expect.objectContaining({ type: 'link-up', linkId: 'c' }),
    ])
    joiner.disconnected()
    joiner.connected(false)
    expect(joiner.welcome(welcome({ ended, peers: [member('c', 'c#1')] }))).toEqual([{ type: 'reconnected' }])
    // A malformed one is no END either.
    joiner.connected(false)
    expect(
      joiner.welcome(welcome({ ended: { address: 'c', sid: 'c#1' }, peers: [member('c', 'c#1')] })),
    ).toEqual([])
  })
})
