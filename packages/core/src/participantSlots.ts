import { IndexedSlots } from './indexedSlots.js'
import type { Store } from './PersistentMap.js'
import type { Participant } from './participant.js'

const NO_PARTICIPANTS: Array<Participant | undefined> = []

/**
 * The public roster of one session, by participant id, in insertion order (as a `Map` iterates): one
 * reference a slot and one Int32 cell of the index (`IndexedSlots`), about 14 B a participant where a
 * `Map` entry costs about 36 B. The key is the participant's own `id`, so it is not stored apart.
 */
export class ParticipantSlots extends IndexedSlots implements Store<string, Participant> {
  #slots: Array<Participant | undefined> = NO_PARTICIPANTS

  get(key: string): Participant | undefined {
    const slot = this.find(key)
    return slot < 0 ? undefined : this.#slots[slot]
  }

  has(key: string): boolean {
    return this.find(key) >= 0
  }

  set(key: string, value: Participant): this {
    // The roster is keyed by participant id: a participant under another key could never be found.
    if (key !== value.id) throw new TypeError(`roster key "${key}" is not participant "${value.id}"`)
    let slot = this.find(key)
    if (slot < 0) slot = this.append(key)
    this.#slots[slot] = value
    return this
  }

  delete(key: string): boolean {
    return this.remove(key)
  }

  *entries(): IterableIterator<[string, Participant]> {
    for (const participant of this.values()) yield [participant.id, participant]
  }

  *values(): IterableIterator<Participant> {
    for (let slot = 0; slot < this.used; slot++) {
      const participant = this.#slots[slot]
      if (participant !== undefined) yield participant
    }
  }

  protected keyAt(slot: number): string | undefined {
    return this.#slots[slot]?.id
  }

  protected capacity(): number {
    return this.#slots.length
  }

  protected clear(slot: number): void {
    this.#slots[slot] = undefined
  }

  protected repack(slots: number): void {
    // Exactly `slots` long: a pushed array would add its own growth slack.
    const packed = new Array<Participant | undefined>(slots)
    let to = 0
    for (let from = 0; from < this.used; from++) {
      const participant = this.#slots[from]
      if (participant !== undefined) packed[to++] = participant
    }
    this.#slots = packed
    this.used = to
  }
}
