// What the column stores of a joined meeting share (`PresenceColumns`, `ParticipantSlots`): slots in
// insertion order, found by an open-addressing index of Int32 cells (4 bytes a slot at most 80% full,
// where a `Map` entry costs about 36 B with its table). A deleted slot stays empty until the columns are
// next rebuilt, which packs the live ones in order, so iteration keeps a `Map`'s order.

/** Columns grow by small steps: at 100 participants the slack of the last step is most of the cost. */
const GROWTH = 1.25
/** The index's highest load (used slots over cells): linear probing stays short below it. */
const MAX_LOAD = 0.8
const NO_CELLS = new Int32Array(0)

// Keys are session and participant ids that remote peers choose: a basis drawn per process keeps anyone
// from picking ids that all land in one run of cells (every probe of the meeting would walk it).
const BASIS = (0x811c9dc5 ^ Math.floor(Math.random() * 0x1_0000_0000)) >>> 0

/** FNV-1a over the UTF-16 code units: the index needs a hash of its own (V8's is not exposed). */
function hash(key: string): number {
  let h = BASIS
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
  return h >>> 0
}

export abstract class IndexedSlots {
  /** Slot + 1 per used slot, 0 empty; a deleted slot's cell stays and never matches (a tombstone). */
  #index: Int32Array = NO_CELLS
  /** Slots written so far, deleted ones included. */
  protected used = 0
  #size = 0

  get size(): number {
    return this.#size
  }

  /** The key in a slot; `undefined` once deleted. */
  protected abstract keyAt(slot: number): string | undefined
  /** How many slots the columns have room for. */
  protected abstract capacity(): number
  /** New columns of `slots` slots with the live ones copied in, in order; `used` set to their count. */
  protected abstract repack(slots: number): void
  /** Empties a deleted slot (its references go, so what it held is not kept alive until a rebuild). */
  protected abstract clear(slot: number): void

  /** The slot holding `key`, or -1. */
  protected find(key: string): number {
    const index = this.#index
    const mask = index.length - 1
    if (mask < 0) return -1
    for (let cell = hash(key) & mask; ; cell = (cell + 1) & mask) {
      const entry = index[cell] ?? 0
      if (entry === 0) return -1
      if (this.keyAt(entry - 1) === key) return entry - 1
    }
  }

  /** A new slot at the end for `key` (the caller writes it), rebuilding first when the columns are full. */
  protected append(key: string): number {
    if (this.used >= this.capacity()) {
      // Room for the live slots and this one, and a quarter more (2 slots at first, 113 by the 90th).
      this.repack(Math.ceil((this.#size + 1) * GROWTH))
      this.#reindex()
    } else if (this.used + 1 > this.#index.length * MAX_LOAD) this.#reindex()
    const slot = this.used
    this.used += 1
    this.#size += 1
    this.#place(key, slot)
    return slot
  }

  /** Deletes `key`'s slot; whether it was there. */
  protected remove(key: string): boolean {
    const slot = this.find(key)
    if (slot < 0) return false
    this.clear(slot)
    this.#size -= 1
    return true
  }

  #place(key: string, slot: number): void {
    const index = this.#index
    const mask = index.length - 1
    let cell = hash(key) & mask
    while (index[cell] !== 0) cell = (cell + 1) & mask
    index[cell] = slot + 1
  }

  /** An index with room for the used slots and the one being added, under `MAX_LOAD`. */
  #reindex(): void {
    let cells = 2 // a power of 2, as the mask needs: two cells hold the one remote session of a call of two
    while (this.used + 1 > cells * MAX_LOAD) cells *= 2
    this.#index = new Int32Array(cells)
    for (let slot = 0; slot < this.used; slot++) {
      const key = this.keyAt(slot)
      if (key !== undefined) this.#place(key, slot)
    }
  }
}
