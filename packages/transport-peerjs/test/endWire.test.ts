import type { WireMessage } from '@convene/core'
import {
  createPeerId,
  MAX_END_TEXT_LENGTH,
  parsePeerId,
  readSignallingEnded,
  SIGNALLING_END_TYPE,
  SIGNALLING_ENDED_TYPE,
  signallingEnded,
} from '@convene/core/wire'
import { describe, expect, it } from 'vitest'
import { OwnEnd } from '../src/serverEnd.js'

const host = createPeerId('alpha', 'ada', 's-ada')
const endOf = (peerId: string, origin?: string): WireMessage => {
  const session = parsePeerId(peerId)!.sessionId
  return { v: 1, session, seq: 7, type: 'end', origin: origin ?? session }
}
const ended = (src: unknown, payload: unknown) => ({ type: SIGNALLING_ENDED_TYPE, src, payload })

describe('a host END passed on by the server', () => {
  it('reads back what the server sends, through JSON', () => {
    const text = JSON.stringify(endOf(host))
    const wire = JSON.parse(JSON.stringify(signallingEnded(host, text))) as unknown
    expect(readSignallingEnded(wire, 'alpha')).toEqual({
      src: host,
      text,
      end: { session: 's-ada', origin: 's-ada' },
    })
  })

  it('drops anything else whole', () => {
    const text = JSON.stringify(endOf(host))
    for (const wrong of [
      null,
      'text',
      { ...ended(host, text), type: SIGNALLING_END_TYPE },
      ended(createPeerId('beta', 'ada', 's-ada'), text), // another meeting's
      ended('not-a-peer-id', text),
      ended(42, text),
      ended(host, JSON.parse(text)), // the END as an object, not its text
      ended(host, JSON.stringify(endOf(createPeerId('alpha', 'bo', 's-bo')))), // someone else's END
      ended(host, JSON.stringify(endOf(host, 's-bo'))), // in another's name
      ended(host, JSON.stringify({ ...endOf(host), type: 'leave' })),
      ended(host, JSON.stringify({ ...endOf(host), pad: 'x'.repeat(MAX_END_TEXT_LENGTH) })),
      ended(host, 'not json'),
    ]) {
      expect(readSignallingEnded(wrong, 'alpha'), JSON.stringify(wrong)?.slice(0, 120)).toBeUndefined()
    }
  })
})

describe("a session's own END to the server", () => {
  function session(open: { value: boolean }) {
    const sent: unknown[] = []
    const own = new OwnEnd('s-ada', () => (open.value ? { send: (data: object) => sent.push(data) } : null))
    return { own, sent }
  }

  it('goes once, however often core resends it, and only its own', () => {
    const { own, sent } = session({ value: true })
    own.sent({ v: 1, session: 's-ada', seq: 1, type: 'heartbeat' }, '{}')
    own.sent(endOf(createPeerId('alpha', 'bo', 's-bo')), 'relayed') // a host's END passed on
    own.sent(endOf(host, 's-bo'), 'in another name')
    expect(sent).toEqual([])
    own.sent(endOf(host), 'first')
    own.sent(endOf(host), 'resent')
    expect(sent).toEqual([{ type: SIGNALLING_END_TYPE, payload: 'first' }])
  })

  it('waits for a resend while the PeerServer connection is down', () => {
    const open = { value: false }
    const { own, sent } = session(open)
    own.sent(endOf(host), 'first')
    open.value = true
    own.sent(endOf(host), 'resent')
    expect(sent).toEqual([{ type: SIGNALLING_END_TYPE, payload: 'resent' }])
  })
})
