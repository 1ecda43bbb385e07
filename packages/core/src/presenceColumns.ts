import { IndexedSlots } from './indexedSlots.js'
import type { Store } from './PersistentMap.js'
import type { Presence } from './presence.js'

// Every remote participant has a presence, so its layout decides most of what a joined meeting
// retains per participant. As an object in a `Map` it cost 104 B (10 fields) and about 36 B of the map's
// table; here it is one slot in columns: three references (its session id, participant id and link) in
// one array, its numbers in two typed arrays, and one Int32 cell of the index (`IndexedSlots`). The
// store is mutated in place; `PersistentMap` keeps older versions right by undoing writes, as it does
// over a `Map`.

const REFS = 3 // session id (the key; `undefined` once deleted), participant id, link id
const F64 = 5 // joinedAt, lastSeq, mediaSeq, lastAt (NaN: null), gapMs: any safe integer from a peer
const I32 = 3 // lastHeardTick, gapDevMs, lateMs: local counters, or rounded to 32 bits where computed
const NO_NUMBERS = new Float64Array(0)
const NO_INTS = new Int32Array(0)

/** The presences of one session, by session id, in insertion order (as a `Map` iterates). */
export class PresenceColumns extends IndexedSlots implements Store<string, Presence> {
  #refs: Array<string | undefined> = []
  #numbers: Float64Array = NO_NUMBERS
  #ints: Int32Array = NO_INTS

  get(key: string): Presence | undefined {
    const slot = this.find(key)
    return slot < 0 ? undefined : this.#read(slot)
  }

  has(key: string): boolean {
    return this.find(key) >= 0
  }

  set(key: string, value: Presence): this {
    let slot = this.find(key)
    if (slot < 0) {
      slot = this.append(key)
      this.#refs[slot * REFS] = key
    }
    const refs = this.#refs
    refs[slot * REFS + 1] = value.participantId
    refs[slot * REFS + 2] = value.linkId
    const n = slot * F64
    const numbers = this.#numbers
    numbers[n] = value.joinedAt
    numbers[n + 1] = value.lastSeq
    numbers[n + 2] = value.mediaSeq
    numbers[n + 3] = value.lastAt ?? Number.NaN
    numbers[n + 4] = value.gapMs
    const i = slot * I32
    const ints = this.#ints
    ints[i] = value.lastHeardTick
    ints[i + 1] = value.gapDevMs
    ints[i + 2] = value.lateMs
    return this
  }

  delete(key: string): boolean {
    return this.remove(key)
  }

  *entries(): IterableIterator<[string, Presence]> {
    for (let slot = 0; slot < this.used; slot++) {
      const key = this.#refs[slot * REFS]
      if (key !== undefined) yield [key, this.#read(slot)]
    }
  }

  *values(): IterableIterator<Presence> {
    for (const [, presence] of this.entries()) yield presence
  }

  protected keyAt(slot: number): string | undefined {
    return this.#refs[slot * REFS]
  }

  protected capacity(): number {
    return this.#ints.length / I32
  }

  protected clear(slot: number): void {
    this.#refs.fill(undefined, slot * REFS, slot * REFS + REFS)
  }

  protected repack(slots: number): void {
    // Exactly `slots` long: a pushed array would add its own growth slack.
    const refs = new Array<string | undefined>(slots * REFS)
    const numbers = new Float64Array(slots * F64)
    const ints = new Int32Array(slots * I32)
    let to = 0
    for (let from = 0; from < this.used; from++) {
      if (this.#refs[from * REFS] === undefined) continue
      for (let k = 0; k < REFS; k++) refs[to * REFS + k] = this.#refs[from * REFS + k]
      for (let k = 0; k < F64; k++) numbers[to * F64 + k] = this.#numbers[from * F64 + k] ?? 0
      for (let k = 0; k < I32; k++) ints[to * I32 + k] = this.#ints[from * I32 + k] ?? 0
      to += 1
    }
    this.#refs = refs
    this.#numbers = numbers
    this.#ints = ints
    this.used = to
  }

  /** A fresh record of the slot's fields, in the order `Presence` declares them. */
  #read(slot: number): Presence {
    const refs = this.#refs
    const numbers = this.#numbers
    const ints = this.#ints
    const n = slot * F64
    const i = slot * I32
    const lastAt = numbers[n + 3] ?? Number.NaN
    return {
      participantId: refs[slot * REFS + 1] ?? '',
      linkId: refs[slot * REFS + 2] ?? '',
      joinedAt: numbers[n] ?? 0,
      lastSeq: numbers[n + 1] ?? 0,
      lastHeardTick: ints[i] ?? 0,
      mediaSeq: numbers[n + 2] ?? 0,
      lastAt: Number.isNaN(lastAt) ? null : lastAt,
      gapMs: numbers[n + 4] ?? 0,
      gapDevMs: ints[i + 1] ?? 0,
      lateMs: ints[i + 2] ?? 0,
    }
  }
}
