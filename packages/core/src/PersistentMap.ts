const ABSENT: unique symbol = Symbol('absent')
type Slot<V> = V | typeof ABSENT

/**
 * The mutable map a version chain is built over: a `Map`, or a store laid out for its values (the
 * presences live in columns, `PresenceColumns`, so a remote participant does not cost an object and a
 * `Map` entry). Iterates in insertion order, as a `Map` does; a value read may be a copy.
 */
export interface Store<K, V> {
  readonly size: number
  get(key: K): V | undefined
  has(key: K): boolean
  set(key: K, value: V): unknown
  delete(key: K): unknown
  entries(): IterableIterator<[K, V]>
  values(): IterableIterator<V>
}

// Baker's trick: the newest version owns the one real Map; each older version is an undo record
// pointing, through newer ones, at it. A live actor only ever touches the newest version, so every read
// and write is O(1). Graph traversal and inspection may go back to an older snapshot: reading it
// "reroots" the chain (cost: the number of changes between the two versions) and stays correct.
// A version is itself the node (`map` set: the root; else an undo record), so a write allocates one
// object, and turning a root into a record is a few field writes on one hidden class.

function reroot<K, V>(node: PersistentMap<K, V>): Store<K, V> {
  if (node.map !== null) return node.map
  // Walk to the root, then reverse the undo records on the way back.
  const path: PersistentMap<K, V>[] = []
  let cursor: PersistentMap<K, V> = node
  while (cursor.map === null) {
    path.push(cursor)
    cursor = cursor.next as PersistentMap<K, V>
  }
  const map = cursor.map
  let root: PersistentMap<K, V> = cursor
  for (let i = path.length - 1; i >= 0; i--) {
    const diff = path[i] as PersistentMap<K, V>
    const key = diff.key as K
    const undo: Slot<V> = map.has(key) ? (map.get(key) as V) : ABSENT
    if (diff.value === ABSENT) map.delete(key)
    else map.set(key, diff.value)
    root.map = null
    root.key = key
    root.value = undo
    root.next = diff
    diff.map = map
    diff.key = undefined
    diff.value = ABSENT
    diff.next = null
    root = diff
  }
  return map
}

/**
 * An immutable map whose `set` and `delete` return a new version in O(1) when applied to the newest
 * version, which is the only one a running meeting uses. Older versions stay valid.
 */
export class PersistentMap<K, V> {
  /** @internal The real map, on the newest version only. */
  map: Store<K, V> | null
  /** @internal On an undo record: the key it restores, its value there, and the next newer version. */
  key: K | undefined
  /** @internal */
  value: Slot<V>
  /** @internal */
  next: PersistentMap<K, V> | null

  private constructor(map: Store<K, V> | null) {
    this.map = map
    this.key = undefined
    this.value = ABSENT
    this.next = null
  }

  /**
   * The empty map: one version shared by every meeting (a session starts with five of them, most never
   * written), whose real map is never written to; the first write makes a map of its own.
   */
  static empty<K, V>(): PersistentMap<K, V> {
    return PersistentMap.#empty as PersistentMap<K, V>
  }

  /**
   * An empty version to share, as `empty()` is, over stores that `make` makes: the first write from it
   * starts a store of its own, so a session that never writes to it holds no store at all.
   */
  static emptyOf<K, V>(make: () => Store<K, V>): PersistentMap<K, V> {
    const empty = new PersistentMap(make())
    PersistentMap.#fresh.set(empty, make)
    return empty
  }

  /** The shared empty versions, and how each makes the store its first write starts. */
  static readonly #fresh = new WeakMap<object, () => Store<unknown, unknown>>()
  static readonly #empty: PersistentMap<unknown, unknown> = PersistentMap.emptyOf(() => new Map())

  get size(): number {
    return reroot(this).size
  }

  get(key: K): V | undefined {
    return reroot(this).get(key)
  }

  has(key: K): boolean {
    return reroot(this).has(key)
  }

  set(key: K, value: V): PersistentMap<K, V> {
    const map = reroot(this)
    const old = map.get(key)
    return this.write(map, key, value, old === undefined && !map.has(key) ? ABSENT : (old as V))
  }

  delete(key: K): PersistentMap<K, V> {
    const map = reroot(this)
    const old = map.get(key)
    if (old === undefined && !map.has(key)) return this
    return this.write(map, key, ABSENT, old as V)
  }

  /** Iterates the entries of this version. Do not write to the map while iterating. */
  entries(): IterableIterator<[K, V]> {
    return reroot(this).entries()
  }

  values(): IterableIterator<V> {
    return reroot(this).values()
  }

  toJSON(): Record<string, V> {
    return Object.fromEntries(reroot(this).entries()) as Record<string, V>
  }

  // `undo`: the key's value in this version (ABSENT if it has none), looked up once by the caller.
  private write(map: Store<K, V>, key: K, value: Slot<V>, undo: Slot<V>): PersistentMap<K, V> {
    // Only a set reaches here from a shared empty version (a delete finds nothing), and it stays as it is.
    const make = map.size === 0 ? PersistentMap.#fresh.get(this) : undefined
    if (make !== undefined) {
      const store = make() as Store<K, V>
      store.set(key, value as V)
      return new PersistentMap<K, V>(store)
    }
    if (value === ABSENT) map.delete(key)
    else map.set(key, value)
    const root = new PersistentMap<K, V>(map)
    this.map = null
    this.key = key
    this.value = undo
    this.next = root
    return root
  }
}

/**
 * A `ReadonlyMap` over one version of a PersistentMap: O(1) to make, so publishing the roster costs
 * nothing per change. Iteration copies the entries first, because a meeting event handled while a
 * caller is mid-loop would re-root the shared structure under a live iterator.
 */
export class PersistentMapView<K, V> implements ReadonlyMap<K, V> {
  readonly #version: PersistentMap<K, V>

  constructor(version: PersistentMap<K, V>) {
    this.#version = version
  }

  get size(): number {
    return this.#version.size
  }

  get(key: K): V | undefined {
    return this.#version.get(key)
  }

  has(key: K): boolean {
    return this.#version.has(key)
  }

  entries(): MapIterator<[K, V]> {
    return [...this.#version.entries()][Symbol.iterator]()
  }

  keys(): MapIterator<K> {
    return [...this.#version.entries()].map(([key]) => key)[Symbol.iterator]()
  }

  values(): MapIterator<V> {
    return [...this.#version.values()][Symbol.iterator]()
  }

  forEach(callback: (value: V, key: K, map: ReadonlyMap<K, V>) => void, thisArg?: unknown): void {
    for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this)
  }

  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries()
  }

  get [Symbol.toStringTag](): string {
    return 'Map'
  }
}
