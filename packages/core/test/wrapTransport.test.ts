import { describe, expect, it } from 'vitest'
import type { TransportSession } from '../src/index.js'
import { optionalMethods, transportTraits } from '../src/wrapTransport.js'

// What every wrapper around a transport passes on (tapTransport, simulated faults, test transports).

describe('a wrapper passes on', () => {
  it('the optional methods the session has, called on it, and no others', async () => {
    const calls: string[] = []
    const session = {
      events: { subscribe: () => ({ unsubscribe() {} }) },
      send() {},
      prefix: 'inner',
      closeLink(this: { prefix: string }, linkId: string) {
        calls.push(`${this.prefix}:close:${linkId}`)
      },
      async drain(this: { prefix: string }) {
        calls.push(`${this.prefix}:drain`)
      },
    } satisfies TransportSession & { prefix: string }
    const forwarded = optionalMethods(session)
    expect(Object.keys(forwarded).sort()).toEqual(['closeLink', 'drain'])
    forwarded.closeLink?.('bob')
    await forwarded.drain?.()
    expect(calls).toEqual(['inner:close:bob', 'inner:drain'])
  })

  it("the transport's name, and presence and identity only where set", () => {
    const session = () => ({ events: { subscribe: () => ({ unsubscribe() {} }) }, send() {} })
    expect(transportTraits({ name: 'plain', session })).toEqual({ name: 'plain' })
    expect(Object.keys(transportTraits({ name: 'plain', session }))).toEqual(['name'])
    expect(transportTraits({ name: 'relay', presence: 'transport', identity: 'transport', session })).toEqual(
      { name: 'relay', presence: 'transport', identity: 'transport' },
    )
  })
})
