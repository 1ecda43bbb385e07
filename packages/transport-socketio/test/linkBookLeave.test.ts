/** A session's own LEAVE over the relay: its departure for core, and its link closed in the book. */

import { createPeerId, RELAY_PROTOCOL_VERSION, type RelayMember } from '@convene/core/wire'
import { describe, expect, it } from 'vitest'
import { LinkBook } from '../src/LinkBook.js'

const me = createPeerId('townhall', 'me', 's0')
const address = (who: string) => createPeerId('townhall', who, `s-${who}`)
const member = (who: string, sid: string): RelayMember => ({
  address: address(who),
  sid,
  role: 'participant',
  name: who,
  joinedAt: 1,
  media: { mic: true, webcam: false },
  verified: true,
})
function welcomed(peers: RelayMember[]): LinkBook {
  const book = new LinkBook(me)
  book.welcome({ protocol: RELAY_PROTOCOL_VERSION, peers })
  return book
}

describe("a session's own LEAVE", () => {
  const leave = (who: string, seq = 7) => JSON.stringify({ v: 1, type: 'leave', session: `s-${who}`, seq })
  it('is handed to core, and the departure the relay tells after it is nothing more for core', () => {
    const book = welcomed([member('ann', 'a1'), member('bob', 'b1')])
    expect(book.message({ from: address('ann'), data: leave('ann') })).toEqual([
      { type: 'message', linkId: address('ann'), data: JSON.parse(leave('ann')) },
    ])
    expect(book.left({ gone: [{ address: address('ann'), sid: 'a1', reason: 'left' }] })).toEqual([])
    // Nothing more is handed on from that address.
    expect(book.message({ from: address('ann'), data: leave('ann') })).toEqual([])
  })

  it("in another session's name, or malformed, is only a message: the departure is still told", () => {
    const book = welcomed([member('ann', 'a1')])
    for (const data of [
      leave('bob'),
      JSON.stringify({ v: 1, type: 'leave', session: 's-ann' }),
      '{"type":"leave"}',
    ]) {
      expect(book.message({ from: address('ann'), data })).toHaveLength(1)
    }
    expect(book.left({ gone: [{ address: address('ann'), sid: 'a1', reason: 'left' }] })).toEqual([
      { type: 'presence-gone', linkId: address('ann'), reason: 'left' },
      { type: 'link-down', linkId: address('ann') },
    ])
  })
})
