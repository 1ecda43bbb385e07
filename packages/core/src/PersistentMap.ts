const ABSENT: unique symbol = Symbol('absent')
type Slot<V> = V | typeof ABSENT

// Baker's trick: the newest version owns the one real Map; each older version is a chain of undo
// records pointing at it. A live actor only ever touches the newest version, so every read and write
// is O(1). Graph traversal and inspection may go back to an older snapshot: reading it "reroots" the
// chain (cost: the number of changes between the two versions) and stays correct.
// One node class for both roles (`map` set: the root; else an undo record), so that turning a root into
// a record is a few field writes on one hidden class, not a `delete` that drops it into dictionary mode.
class Node<K, V> {
  constructor(
    public map: Map<K, V> | null,
    public key: K | undefined,
    public value: Slot<V>,
    public next: Node<K, V> | null,
  ) {}
}

function reroot<K, V>(node: Node<K, V>): Map<K, V> {
  if (node.map !== null) return node.map
  // Walk to the root, then reverse the undo records on the way back.
  const path: Node<K, V>[] = []
  let cursor: Node<K, V> = node
  while (cursor.map === null) {
    path.push(cursor)
    cursor = cursor.next as Node<K, V>
  }
  const map = cursor.map
  let root: Node<K, V> = cursor
  for (let i = path.length - 1; i >= 0; i--) {
    const diff = path[i] as Node<K, V>
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
  private readonly node: Node<K, V>

  private constructor(node: Node<K, V>) {
    this.node = node
  }

  static empty<K, V>(): PersistentMap<K, V> {
    return new PersistentMap<K, V>(new Node<K, V>(new Map(), undefined, ABSENT, null))
  }

  get size(): number {
    return reroot(this.node).size
  }

  get(key: K): V | undefined {
    return reroot(this.node).get(key)
  }

  has(key: K): boolean {
    return reroot(this.node).has(key)
  }

  set(key: K, value: V): PersistentMap<K, V> {
    return this.write(key, value)
  }

  delete(key: K): PersistentMap<K, V> {
    if (!this.has(key)) return this
    return this.write(key, ABSENT)
  }

  /** Iterates the entries of this version. Do not write to the map while iterating. */
  entries(): IterableIterator<[K, V]> {
    return reroot(this.node).entries()
  }

  values(): IterableIterator<V> {
    return reroot(this.node).values()
  }

  toJSON(): Record<string, V> {
    return Object.fromEntries(reroot(this.node)) as Record<string, V>
  }

  private write(key: K, value: Slot<V>): PersistentMap<K, V> {
    const old = this.node
    const map = reroot(old)
    const undo: Slot<V> = map.has(key) ? (map.get(key) as V) : ABSENT
    if (value === ABSENT) map.delete(key)
    else map.set(key, value)
    const root = new Node<K, V>(map, undefined, ABSENT, null)
    old.map = null
    old.key = key
    old.value = undo
    old.next = root
    return new PersistentMap(root)
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
