/**
 * A returner's welcome by reference: the sessions it lists name records the returner holds (address,
 * socket id, digest, media) instead of carrying them, and the returner resolves them against its
 * book; one it does not hold leaves everything as it was and asks for the records.
 */

import { createPeerId, RELAY_PROTOCOL_VERSION, type RelayMember, relayRefOf } from '@convene/core/wire'
import { describe, expect, it } from 'vitest'
import { LinkBook } from '../src/LinkBook.js'

const me = createPeerId('townhall', 'me', 's0')
const address = (who: string) => createPeerId('townhall', who, `s-${who}`)
const member = (who: string, sid: string, overrides: Partial<RelayMember> = {}): RelayMember => ({
  address: address(who),
  sid,
  role: 'participant',
  name: who,
  joinedAt: 1,
  media: { mic: true, webcam: false },
  verified: true,
  ...overrides,
})

/** A returner: welcomed once with `peers`, then its socket dropped and it connected afresh. */
function returner(peers: RelayMember[]): LinkBook {
  const book = new LinkBook(me)
  book.connected(false)
  book.welcome({ protocol: RELAY_PROTOCOL_VERSION, peers })
  book.disconnected()
  book.connected(false)
  return book
}
const byRef = (listed: RelayMember[], rest: object = {}) => ({
  protocol: RELAY_PROTOCOL_VERSION,
  peers: [],
  refs: listed.map(relayRefOf),
  ...rest,
})

describe("a returner's welcome by reference", () => {
  it('holds its records: only a book that was welcomed says so (auth.returning)', () => {
    const book = new LinkBook(me)
    expect(book.holdsRecords).toBe(false)
    book.welcome({ protocol: RELAY_PROTOCOL_VERSION, peers: [member('ann', 'a1')] })
    expect(book.holdsRecords).toBe(true)
  })

  it('references to the records it holds, on new sockets: it is back, links moved, core told nothing else', () => {
    const book = returner([member('ann', 'a1'), member('bob', 'b1'), member('cy', 'c1')])
    // Ann moved to a new socket (her node died too), Bob did not, Cy is away under the socket known.
    const events = book.welcome(
      byRef([member('ann', 'a2'), member('bob', 'b1'), { ...member('me', 'm2'), address: me }], {
        away: [{ address: address('cy'), sid: 'c1' }],
      }),
    )
    expect(book.lackingRecords).toBe(false)
    expect(book.awaitingWelcome).toBe(false)
    expect(events).toEqual([{ type: 'reconnected' }])
    // Ann's departure from her old socket is stale now; from the new one it is hers.
    expect(book.left({ gone: [{ address: address('ann'), sid: 'a1', reason: 'left' }] })).toEqual([])
    expect(book.left({ gone: [{ address: address('ann'), sid: 'a2', reason: 'left' }] })).toEqual([
      { type: 'presence-gone', linkId: address('ann'), reason: 'left' },
      { type: 'link-down', linkId: address('ann') },
    ])
    // Cy, away, is still linked: her return on a new socket with the same record costs nothing.
    expect(book.joined({ joined: [member('cy', 'c2')] })).toEqual([])
  })

  it('a session it does not list, nor as away, is down as after a welcome with records', () => {
    const book = returner([member('ann', 'a1'), member('bob', 'b1')])
    const events = book.welcome(byRef([member('ann', 'a1')]))
    expect(events).toEqual([{ type: 'reconnected' }, { type: 'link-down', linkId: address('bob') }])
  })

  it('a media change named by the reference is a link-up with the record held and the new media', () => {
    const book = returner([member('ann', 'a1')])
    const events = book.welcome(byRef([member('ann', 'a2', { media: { mic: false, webcam: true } })]))
    expect(events).toEqual([
      { type: 'reconnected' },
      expect.objectContaining({
        type: 'link-up',
        linkId: address('ann'),
        peer: expect.objectContaining({ media: { mic: false, webcam: true } }),
      }),
    ])
  })

  it('a reference to a record it does not hold, or to another record, changes nothing and asks for the records', () => {
    for (const listed of [
      // Dee joined while this session was away: it never had her record.
      [member('ann', 'a2'), member('dee', 'd1')],
      // Ann's record is not the one held (another role).
      [member('ann', 'a2', { role: 'host' })],
    ]) {
      const book = returner([member('ann', 'a1'), member('bob', 'b1')])
      expect(book.welcome(byRef(listed))).toEqual([])
      expect(book.lackingRecords).toBe(true)
      expect(book.awaitingWelcome).toBe(true)
      // Nothing moved: Ann's departure from the socket known is still hers, Bob still linked.
      expect(book.left({ gone: [{ address: address('bob'), sid: 'b1', reason: 'lost' }] })).toHaveLength(2)
      // The welcome with every record then does what the references could not.
      const events = book.welcome({ protocol: RELAY_PROTOCOL_VERSION, peers: listed })
      expect(book.lackingRecords).toBe(false)
      expect(events[0]).toEqual({ type: 'reconnected' })
      // Dee's record is new, as is Ann's other one: one link-up each time.
      expect(events.filter((e) => e.type === 'link-up')).toHaveLength(1)
    }
  })

  it('malformed references are skipped, as malformed records are', () => {
    const book = returner([member('ann', 'a1')])
    const events = book.welcome({
      protocol: RELAY_PROTOCOL_VERSION,
      peers: [],
      refs: [
        relayRefOf(member('ann', 'a1')),
        [address('bob')],
        'x',
        [address('cy'), 'c1', 'zz', 1],
        [address('cy'), 'c1', 5, 7],
        null,
      ],
    })
    expect(book.lackingRecords).toBe(false)
    expect(events).toEqual([{ type: 'reconnected' }])
  })
})

describe('returns by reference (peers-joined refs)', () => {
  it('a return on a new socket with the record held costs core nothing; one not held asks for the records', () => {
    const book = returner([member('ann', 'a1'), member('bob', 'b1')])
    book.welcome({ protocol: RELAY_PROTOCOL_VERSION, peers: [member('ann', 'a1'), member('bob', 'b1')] })
    const events = book.joined({
      joined: [],
      refs: [
        member('ann', 'a2'),
        member('dee', 'd1'),
        member('bob', 'b2', { media: { mic: false, webcam: false } }),
      ].map(relayRefOf),
    })
    // Ann moved silently; Bob's media changed: a link-up with his record held and the new media.
    expect(events).toEqual([
      expect.objectContaining({
        type: 'link-up',
        linkId: address('bob'),
        peer: expect.objectContaining({ media: { mic: false, webcam: false } }),
      }),
    ])
    // Dee's record is not held: a welcome with every record is asked for.
    expect(book.lackingRecords).toBe(true)
    // Ann's departure is from her new socket now.
    expect(book.left({ gone: [{ address: address('ann'), sid: 'a1', reason: 'lost' }] })).toEqual([])
    expect(book.left({ gone: [{ address: address('ann'), sid: 'a2', reason: 'lost' }] })).toHaveLength(2)
  })
})
