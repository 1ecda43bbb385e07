import {
  createPeerId,
  MAX_PRESENCE_PEERS,
  readSignallingPresence,
  SIGNALLING_PRESENCE_TYPE,
  signallingPresence,
} from '@convene/core/wire'
import { describe, expect, it } from 'vitest'

const id = (participant: string, meeting = 'alpha') => createPeerId(meeting, participant, 's1')
const message = (peers: unknown) => ({ type: SIGNALLING_PRESENCE_TYPE, payload: { peers } })
const many = (count: number) => Array.from({ length: count }, (_, i) => id(`p${i}`))

describe('the signalling presence wire format', () => {
  it('reads back what the server encodes, through JSON', () => {
    const peers = [id('a'), id('b')]
    const text = JSON.stringify(signallingPresence(peers))
    expect(readSignallingPresence(JSON.parse(text), 'alpha')).toEqual(peers)
    expect(readSignallingPresence(JSON.parse(JSON.stringify(signallingPresence([]))), 'alpha')).toEqual([])
  })

  it('encodes "not listed" as null, and so a list longer than the limit', () => {
    expect(signallingPresence(null).payload.peers).toBeNull()
    expect(signallingPresence(many(MAX_PRESENCE_PEERS + 1)).payload.peers).toBeNull()
    expect(signallingPresence(many(MAX_PRESENCE_PEERS)).payload.peers).toHaveLength(MAX_PRESENCE_PEERS)
    expect(readSignallingPresence(message(null), 'alpha')).toBeNull()
  })

  it('ignores fields it does not know', () => {
    const extended = { ...message([id('a')]), src: 'x', payload: { peers: [id('a')], since: 3 } }
    expect(readSignallingPresence(extended, 'alpha')).toEqual([id('a')])
  })

  it.each<[string, unknown]>([
    ['another type', { type: 'OPEN' }],
    ['no payload', { type: SIGNALLING_PRESENCE_TYPE }],
    ['a payload that is not an object', { type: SIGNALLING_PRESENCE_TYPE, payload: [id('a')] }],
    ['no peers', { type: SIGNALLING_PRESENCE_TYPE, payload: {} }],
    ['peers that are not an array', message({ 0: id('a') })],
    ['a peer that is not a string', message([id('a'), 7])],
    ['a peer that is not a Convene peer id', message([id('a'), 'someone'])],
    ['a peer id whose parts are not UTF-8', message([`cv-${Buffer.from('alpha').toString('hex')}-ff-00`])],
    ['a peer of another meeting', message([id('a'), id('b', 'beta')])],
    ['a peer listed twice', message([id('a'), id('a')])],
    ['more peers than the limit', message(many(MAX_PRESENCE_PEERS + 1))],
    ['an id longer than any peer id', message([`${id('a')}${'00'.repeat(3000)}`])],
    ['null', null],
    ['a string', JSON.stringify(message([id('a')]))],
  ])('refuses a message with %s whole', (_, value) => {
    expect(readSignallingPresence(value, 'alpha')).toBeUndefined()
  })
})
