import { describe, expect, it } from 'vitest'
import { PersistentMap } from '../src/PersistentMap.js'

describe('PersistentMap', () => {
  it('keeps every version readable while the newest is written in place', () => {
    const v0 = PersistentMap.empty<string, number>()
    const v1 = v0.set('a', 1)
    const v2 = v1.set('b', 2)
    const v3 = v2.delete('a')
    const v4 = v3.set('b', 20)
    expect([...v4.entries()]).toEqual([['b', 20]])
    expect(v1.get('a')).toBe(1)
    expect(v1.has('b')).toBe(false)
    expect(v3.get('b')).toBe(2)
    expect(v0.size).toBe(0)
    expect(v2.toJSON()).toEqual({ a: 1, b: 2 })
    expect(v4.get('b')).toBe(20)
  })

  it('branches from an old version without disturbing the other branch', () => {
    const base = PersistentMap.empty<string, number>().set('x', 1)
    const left = base.set('l', 1)
    const right = base.set('r', 2)
    expect(left.has('r')).toBe(false)
    expect(right.has('l')).toBe(false)
    expect(left.get('l')).toBe(1)
    expect(right.toJSON()).toEqual({ x: 1, r: 2 })
    expect(base.toJSON()).toEqual({ x: 1 })
  })

  it('shares one empty version that no write anywhere changes', () => {
    const a = PersistentMap.empty<string, number>()
    const b = PersistentMap.empty<string, number>()
    const a1 = a.set('k', 1).set('j', 2)
    const b1 = b.set('k', 10)
    expect(a.delete('k')).toBe(a)
    expect(PersistentMap.empty<string, number>().size).toBe(0)
    expect(a.has('k')).toBe(false)
    expect(a1.toJSON()).toEqual({ k: 1, j: 2 })
    expect(b1.toJSON()).toEqual({ k: 10 })
    // The first version written from the empty one is itself the start of a history.
    const a2 = a1.delete('k')
    expect(a1.get('k')).toBe(1)
    expect(a2.toJSON()).toEqual({ j: 2 })
  })

  it('agrees with a plain Map over a random history with branching', () => {
    let seed = 7
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
    const versions: Array<{ persistent: PersistentMap<number, number>; plain: Map<number, number> }> = [
      { persistent: PersistentMap.empty(), plain: new Map() },
    ]
    for (let i = 0; i < 2000; i++) {
      const from = versions[Math.floor(random() * versions.length)]!
      const key = Math.floor(random() * 20)
      const plain = new Map(from.plain)
      let persistent: PersistentMap<number, number>
      if (random() < 0.3) {
        plain.delete(key)
        persistent = from.persistent.delete(key)
      } else {
        plain.set(key, i)
        persistent = from.persistent.set(key, i)
      }
      versions.push({ persistent, plain })
      const check = versions[Math.floor(random() * versions.length)]!
      expect(new Map(check.persistent.entries())).toEqual(check.plain)
    }
  })
})
