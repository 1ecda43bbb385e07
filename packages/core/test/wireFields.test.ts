/**
 * Every wire format that carries who a session is (a hello, a transport's attested record, the relay's
 * handshake and its member records) reads its fields with one set of readers (`wire/fieldReaders.ts`):
 * the same value is taken or refused by all of them.
 */
import { isRelayMember, readFields, readPresentedSelf, readRelayMedia } from '@convene/core/wire'
import { describe, expect, it } from 'vitest'
import { readAttestedPeer } from '../src/attestedLinks.js'
import { parseWireMessage } from '../src/parseWireMessage.js'
import { PROTOCOL_VERSION } from '../src/protocol.js'

type Self = { name: unknown; role: unknown; joinedAt: unknown; media: unknown }

const good: Self = {
  name: 'Ada',
  role: 'host',
  joinedAt: 1_700_000_000_000,
  media: { mic: true, webcam: false },
}

/** Whether each format takes a session presenting `self`. */
function takenBy(self: Self) {
  const hello = {
    v: PROTOCOL_VERSION,
    session: 's1',
    seq: 0,
    type: 'hello',
    meetingId: 'm',
    participant: { id: 'ada', name: self.name, role: self.role },
    joinedAt: self.joinedAt,
    heartbeatIntervalMs: 1000,
    media: self.media,
  }
  const takes = (read: () => unknown) => {
    try {
      return read() !== null
    } catch {
      return false
    }
  }
  return {
    hello: takes(() => parseWireMessage(hello)),
    attested: takes(() =>
      readAttestedPeer({
        participant: { id: 'ada', name: self.name, role: self.role },
        session: 's1',
        joinedAt: self.joinedAt,
        media: self.media,
        verified: true,
      }),
    ),
    handshake: readFields((fail) => readPresentedSelf({ address: 'a', ...self }, fail)).ok,
    member: isRelayMember({ address: 'a', sid: 'x', ...self, verified: true }),
  }
}

describe('one reader per field, for every format', () => {
  const all = (taken: boolean) => ({ hello: taken, attested: taken, handshake: taken, member: taken })

  it.each<[string, Partial<Self>, boolean]>([
    ['a well-formed session', {}, true],
    ['an empty name (the app gave none)', { name: '' }, true],
    ['a name of 256 characters', { name: 'x'.repeat(256) }, true],
    ['a name of 257 characters', { name: 'x'.repeat(257) }, false],
    ['a name that is a number', { name: 7 }, false],
    ['a role of its own making', { role: 'admin' }, false],
    ['a negative start time', { joinedAt: -1 }, false],
    ['a fractional start time', { joinedAt: 1.5 }, false],
    ['a start time in a string', { joinedAt: '1700000000000' }, false],
    ['media without the camera', { media: { mic: true } }, false],
    ['media as a string', { media: 'on' }, false],
  ])('%s: the same verdict from all four', (_label, change, taken) => {
    expect(takenBy({ ...good, ...change })).toEqual(all(taken))
  })

  it('the handshake reader names the field it refuses, and copies only known fields', () => {
    expect(readFields((fail) => readPresentedSelf({ role: 'admin' }, fail))).toEqual({
      ok: false,
      reason: '`auth.role` must be "host" or "participant"',
    })
    expect(
      readFields((fail) =>
        readPresentedSelf(
          { address: 'a', proof: 'p', name: 'Ada', media: { mic: true, webcam: true, x: 1 } },
          fail,
        ),
      ),
    ).toEqual({ ok: true, value: { name: 'Ada', media: { mic: true, webcam: true } } })
    // Nothing presented is a valid handshake: the relay fills in its defaults.
    expect(readFields((fail) => readPresentedSelf(undefined, fail))).toEqual({ ok: true, value: {} })
  })

  it("a client's media event is read as the media of a hello: both flags, nothing else", () => {
    expect(readFields((fail) => readRelayMedia({ mic: false, webcam: true, x: 1 }, fail))).toEqual({
      ok: true,
      value: { mic: false, webcam: true },
    })
    expect(readFields((fail) => readRelayMedia({ mic: 'off', webcam: true }, fail))).toEqual({
      ok: false,
      reason: '`media.mic` must be a boolean',
    })
    expect(readFields((fail) => readRelayMedia(null, fail)).ok).toBe(false)
  })

  it('readFields lets any other error through', () => {
    expect(() =>
      readFields(() => {
        throw new TypeError('a bug, not a bad field')
      }),
    ).toThrow(TypeError)
  })
})
