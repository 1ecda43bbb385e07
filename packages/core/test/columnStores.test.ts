import { describe, expect, it } from 'vitest'
import { PersistentMap, type Store } from '../src/PersistentMap.js'
import type { Participant } from '../src/participant.js'
import { ParticipantSlots } from '../src/participantSlots.js'
import type { Presence } from '../src/presence.js'
import { PresenceColumns } from '../src/presenceColumns.js'

// The column stores stand in for a `Map` under `PersistentMap`: every version, old or new, must read
// as the same history kept in plain `Map`s would, entries in the same order (a `Map`'s insertion order:
// an overwrite keeps its place, a key deleted and set again goes last), through growth, packing of
// deleted slots and re-indexing.

function lcg(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed / 2 ** 31
  }
}

function presence(random: () => number, i: number): Presence {
  const big = random() < 0.5
  return {
    participantId: `p${Math.floor(random() * 5)}`,
    linkId: `link-${i}`,
    // Beyond 32 bits where a peer may send it: a clock's epoch milliseconds, a long-lived seq.
    joinedAt: big ? 1_733_300_000_000 + i : i,
    lastSeq: big ? 2 ** 40 + i : i,
    lastHeardTick: i,
    mediaSeq: i * 3,
    lastAt: random() < 0.3 ? null : i * 7,
    gapMs: big ? 2 ** 35 : 1000 + i,
    gapDevMs: i % 17,
    lateMs: i % 5,
  }
}

function participant(id: string, i: number): Participant {
  return {
    id,
    name: `n${i}`,
    role: 'participant',
    sessionId: `s${i}`,
    stream: null,
    micOn: i % 2 === 0,
    webcamOn: true,
  }
}

function agreeOverRandomHistory<V>(
  make: () => Store<string, V>,
  value: (random: () => number, key: string, i: number) => V,
  keys: number,
): void {
  const random = lcg(11)
  // Each version three ways: over the store, over a `Map` (as before the stores), and a plain copy.
  type Version = { columns: PersistentMap<string, V>; map: PersistentMap<string, V>; plain: Map<string, V> }
  const versions: Version[] = [
    { columns: PersistentMap.emptyOf(make), map: PersistentMap.empty(), plain: new Map() },
  ]
  for (let i = 0; i < 3000; i++) {
    // Mostly the newest version, as a running meeting does; sometimes an old one, as a graph walk does.
    const from =
      random() < 0.8 ? versions[versions.length - 1]! : versions[Math.floor(random() * versions.length)]!
    const key = `k${Math.floor(random() * keys)}`
    const plain = new Map(from.plain)
    if (random() < 0.35) {
      plain.delete(key)
      versions.push({ columns: from.columns.delete(key), map: from.map.delete(key), plain })
    } else {
      const next = value(random, key, i)
      plain.set(key, next)
      versions.push({ columns: from.columns.set(key, next), map: from.map.set(key, next), plain })
    }
    const check = versions[Math.floor(random() * versions.length)]!
    // Going back re-inserts what later versions deleted, so an old version's order is not its own:
    // the store must give the same order a `Map` gave, and the same entries as the plain copy.
    expect([...check.columns.entries()]).toEqual([...check.map.entries()])
    expect(new Map(check.columns.entries())).toEqual(check.plain)
    expect(check.columns.size).toBe(check.plain.size)
    const probe = `k${Math.floor(random() * (keys + 3))}`
    expect(check.columns.has(probe)).toBe(check.plain.has(probe))
    expect(check.columns.get(probe)).toEqual(check.plain.get(probe))
  }
}

describe('column stores under PersistentMap', () => {
  it('PresenceColumns reads back every version of a random history with branching', () => {
    agreeOverRandomHistory(
      () => new PresenceColumns(),
      (random, _key, i) => presence(random, i),
      60,
    )
  })

  it('ParticipantSlots reads back every version of a random history with branching', () => {
    agreeOverRandomHistory(
      () => new ParticipantSlots(),
      (_random, key, i) => participant(key, i),
      60,
    )
  })

  it('a presence reads back exactly as written, lastAt null included', () => {
    const random = lcg(3)
    const written = presence(random, 123_456)
    const store = new PresenceColumns()
    store.set('s', written)
    store.set('t', { ...written, lastAt: null })
    expect(store.get('s')).toEqual(written)
    expect(Object.keys(store.get('s') ?? {})).toEqual(Object.keys(written))
    expect(store.get('t')?.lastAt).toBeNull()
  })

  it('ParticipantSlots refuses a participant under another key', () => {
    expect(() => new ParticipantSlots().set('a', participant('b', 1))).toThrow(TypeError)
  })

  it('keeps insertion order and finds every key through growth and mass departures', () => {
    const store = new PresenceColumns()
    const random = lcg(5)
    for (let i = 0; i < 1000; i++) store.set(`s${i}`, presence(random, i))
    for (let i = 0; i < 1000; i += 2) store.delete(`s${i}`)
    for (let i = 1000; i < 1300; i++) store.set(`s${i}`, presence(random, i))
    const keys = [...store.entries()].map(([key]) => key)
    const expected = [
      ...Array.from({ length: 500 }, (_, i) => `s${2 * i + 1}`),
      ...Array.from({ length: 300 }, (_, i) => `s${1000 + i}`),
    ]
    expect(keys).toEqual(expected)
    expect(store.size).toBe(800)
    for (const key of expected) expect(store.has(key)).toBe(true)
    expect(store.has('s0')).toBe(false)
  })
})
