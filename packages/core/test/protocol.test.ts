import { describe, expect, it } from 'vitest'
import { MeetingError, PROTOCOL_VERSION, parseWireMessage } from '../src/index.js'

const hello = {
  v: PROTOCOL_VERSION,
  type: 'hello',
  session: 's1',
  seq: 0,
  meetingId: 'm',
  participant: { id: 'alice', name: 'Alice', role: 'host' },
  joinedAt: 1,
  heartbeatIntervalMs: 1000,
}

describe('parseWireMessage', () => {
  it('accepts a well-formed hello and copies only known fields', () => {
    const parsed = parseWireMessage({ ...hello, extra: 'x', participant: { ...hello.participant, evil: 1 } })
    expect(parsed).toEqual(hello)
  })

  it('keeps the lateness a heartbeat announces, and nothing else of it', () => {
    const beat = { v: PROTOCOL_VERSION, type: 'heartbeat', session: 's', seq: 3 }
    expect(parseWireMessage({ ...beat, late: 850, extra: 1 })).toEqual({ ...beat, late: 850 })
    expect(parseWireMessage(beat)).toEqual(beat)
  })

  it.each([
    ['not an object', 42, 'INVALID_MESSAGE'],
    ['negative lateness', { v: 1, type: 'heartbeat', session: 's', seq: 1, late: -5 }, 'INVALID_MESSAGE'],
    ['lateness as text', { v: 1, type: 'heartbeat', session: 's', seq: 1, late: '9' }, 'INVALID_MESSAGE'],
    ['an array', [], 'INVALID_MESSAGE'],
    ['wrong version', { ...hello, v: 99 }, 'PROTOCOL_VERSION'],
    ['no session', { ...hello, session: undefined }, 'INVALID_MESSAGE'],
    ['negative seq', { ...hello, seq: -1 }, 'INVALID_MESSAGE'],
    ['fractional seq', { ...hello, seq: 1.5 }, 'INVALID_MESSAGE'],
    ['bad role', { ...hello, participant: { ...hello.participant, role: 'admin' } }, 'INVALID_MESSAGE'],
    [
      'huge id',
      { ...hello, participant: { ...hello.participant, id: 'x'.repeat(10_000) } },
      'INVALID_MESSAGE',
    ],
    ['unknown type', { ...hello, type: 'explode' }, 'INVALID_MESSAGE'],
    ['remove without target', { v: 1, type: 'remove', session: 's', seq: 1, origin: 's' }, 'INVALID_MESSAGE'],
    [
      'remove with a numeric targetSession',
      { v: 1, type: 'remove', session: 's', seq: 1, origin: 's', target: 'b', targetSession: 7 },
      'INVALID_MESSAGE',
    ],
    ['ack of something else', { v: 1, type: 'ack', session: 's', seq: 1, ackOf: 'hello' }, 'INVALID_MESSAGE'],
  ])('rejects %s with a typed error', (_label, data, code) => {
    let caught: unknown
    try {
      parseWireMessage(data, 'link-1')
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(MeetingError)
    expect((caught as MeetingError).code).toBe(code)
    expect((caught as MeetingError).details.linkId).toBe('link-1')
  })
})
