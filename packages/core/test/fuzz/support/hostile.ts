import fc from 'fast-check'
import { PROTOCOL_VERSION } from '../../../src/index.js'

// Inbound data a peer (or a broken transport) might deliver, every one of it invalid by construction.

const session = 'bob#2'
const base = { v: PROTOCOL_VERSION, session, seq: 7 }
const valid: Record<string, Record<string, unknown>> = {
  hello: {
    ...base,
    type: 'hello',
    meetingId: 'standup',
    participant: { id: 'mallory', name: 'Mallory', role: 'participant' },
    joinedAt: 1,
    heartbeatIntervalMs: 1000,
  },
  leave: { ...base, type: 'leave' },
  heartbeat: { ...base, type: 'heartbeat' },
  ack: { ...base, type: 'ack', ackOf: 'leave' },
  end: { ...base, type: 'end', origin: session },
  remove: { ...base, type: 'remove', origin: session, target: 'carol' },
}

/** A value whose `String()` throws: what a careless `String(error)` on a thrown value would trip on. */
const unprintable = () => Object.create(null) as object
const throwingGetter = (thrown: unknown) =>
  Object.defineProperty({}, 'v', {
    enumerable: true,
    get() {
      throw thrown
    },
  })
const cyclic = () => {
  const a: Record<string, unknown> = { ...valid.hello }
  a.participant = a
  a.self = a
  return a
}
const nested = (depth: number, leaf: unknown) => {
  let value: unknown = leaf
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { v: value }
  return value
}
const revoked = () => {
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  return proxy
}

/** Not a string, or a string the protocol refuses (empty, or past any length limit). */
const badText = fc.oneof(
  fc.constantFrom<unknown>('', null, undefined, 0, 1, true, [], {}, ['bob'], 10n, Number.NaN),
  fc.integer(),
  fc.constant('x'.repeat(8193)),
  fc.integer({ min: 8193, max: 100_000 }).map((n) => 'é'.repeat(n)),
)
/** Not a safe integer >= 1. */
const badCount = fc.oneof(
  fc.constantFrom<unknown>(
    -1,
    0.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    2 ** 53,
    '7',
    null,
    undefined,
    7n,
    [7],
    {},
  ),
  fc.double({ noInteger: true }),
  fc.integer({ max: -1 }),
)

type Field = { path: string[]; bad: fc.Arbitrary<unknown> }
const fields: Record<string, Field[]> = {
  hello: [
    { path: ['session'], bad: badText },
    { path: ['seq'], bad: badCount.filter((x) => x !== 0) },
    { path: ['meetingId'], bad: badText },
    { path: ['participant'], bad: fc.constantFrom<unknown>(null, 'mallory', 1, [], undefined) },
    { path: ['participant', 'id'], bad: badText },
    { path: ['participant', 'name'], bad: badText.filter((x) => x !== '') },
    { path: ['participant', 'role'], bad: fc.constantFrom<unknown>('admin', 'HOST', '', null, 1, undefined) },
    { path: ['joinedAt'], bad: badCount.filter((x) => x !== 0) },
    { path: ['heartbeatIntervalMs'], bad: badCount },
    { path: ['ask'], bad: fc.constantFrom<unknown>('yes', 1, 0, null, {}) },
    { path: ['token'], bad: badText.filter((x) => x !== undefined) },
  ],
  leave: [{ path: ['session'], bad: badText }],
  heartbeat: [{ path: ['seq'], bad: badCount.filter((x) => x !== 0) }],
  ack: [{ path: ['ackOf'], bad: fc.constantFrom<unknown>('hello', 'remove', '', null, undefined, 1) }],
  end: [{ path: ['origin'], bad: badText }],
  remove: [
    { path: ['origin'], bad: badText },
    { path: ['target'], bad: badText },
  ],
}

function withField(message: Record<string, unknown>, path: string[], value: unknown) {
  const copy: Record<string, unknown> = { ...message }
  if (path.length === 1) {
    if (value === undefined) delete copy[path[0]!]
    else copy[path[0]!] = value
  } else {
    copy[path[0]!] = withField(message[path[0]!] as Record<string, unknown>, path.slice(1), value)
  }
  return copy
}

/** A well-formed message of each type with exactly one field broken (or removed). */
const oneFieldWrong = fc
  .constantFrom(...Object.keys(fields))
  .chain((type) =>
    fc
      .constantFrom(...(fields[type] as Field[]))
      .chain(({ path, bad }) => bad.map((value) => withField(valid[type]!, path, value))),
  )

const wrongVersion = fc
  .tuple(
    fc.constantFrom(...Object.values(valid)),
    fc.oneof(fc.anything(), fc.constantFrom<unknown>(0, 2, '1', 1n, null, undefined, [1])),
  )
  .filter(([, v]) => v !== PROTOCOL_VERSION)
  .map(([message, v]) => ({ ...message, v }))

const wrongType = fc
  .oneof(fc.string(), fc.anything())
  .filter((type) => typeof type !== 'string' || !Object.hasOwn(valid, type))
  .map((type) => ({ ...base, type }))

const bytes = fc
  .uint8Array({ maxLength: 256 })
  .chain((array) =>
    fc.constantFrom<unknown>(array, array.buffer, new DataView(array.buffer), Buffer.from(array)),
  )

const exotic = fc.constantFrom<() => unknown>(
  () => 10n ** 30n,
  () => ({ ...base, type: 'heartbeat', seq: 7n }),
  () => ({ ...base, v: 1n, type: 'hello' }),
  () => ({ ...base, type: 10n }),
  () => Symbol('message'),
  () => () => valid.hello,
  cyclic,
  () => ({ ...base, v: cyclic(), type: 'hello' }),
  () => nested(100_000, 1),
  () => ({ ...base, v: nested(100_000, 1) }),
  () => ({ ...base, type: nested(100_000, 'hello') }),
  () => 'x'.repeat(5_000_000),
  () => ({ ...valid.hello, meetingId: 'x'.repeat(2_000_000) }),
  () => Object.assign(Object.create(null), valid.heartbeat, { seq: -1 }),
  () => throwingGetter(new Error('getter exploded')),
  () => throwingGetter(unprintable()),
  () => throwingGetter(Symbol('thrown')),
  () =>
    throwingGetter({
      toString() {
        throw new Error('toString exploded')
      },
    }),
  () =>
    new Proxy(
      {},
      {
        get() {
          throw unprintable()
        },
      },
    ),
  revoked,
  () => new Date(),
  () => new Map(Object.entries(valid.hello!)),
  () => Promise.resolve(valid.hello),
  () => new Error('not a message'),
  () => [valid.hello],
  () => JSON.stringify(valid.hello),
  () => Object.freeze({ ...valid.leave, seq: 1.5 }),
)

/**
 * An independent check (not the parser under test) that a free-form value is no valid message: such
 * generators almost never produce a valid envelope, and when they do the case is skipped, not judged.
 */
function surelyInvalid(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return true
  try {
    const raw = value as Record<string, unknown>
    const validEnvelope =
      raw.v === PROTOCOL_VERSION &&
      typeof raw.type === 'string' &&
      Object.hasOwn(valid, raw.type) &&
      typeof raw.session === 'string' &&
      raw.session.length > 0 &&
      raw.session.length <= 128 &&
      typeof raw.seq === 'number' &&
      Number.isSafeInteger(raw.seq) &&
      raw.seq >= 0
    return !validEnvelope
  } catch {
    return true
  }
}

const freeForm = fc
  .oneof(
    fc.anything({
      withBigInt: true,
      withBoxedValues: true,
      withTypedArray: true,
      withSparseArray: true,
      withNullPrototype: true,
      withMap: true,
      withSet: true,
      withDate: true,
    }),
    fc.jsonValue(),
    wrongType,
    bytes,
  )
  .filter(surelyInvalid)

/**
 * One hostile input, made fresh inside the property: some (revoked proxies, throwing getters) would
 * break fast-check's own cloning and printing if it held them. `toString` is what a failure prints.
 */
export interface Hostile {
  make(): unknown
  toString(): string
}

const held = (value: unknown): Hostile => ({ make: () => value, toString: () => fc.stringify(value) })

/** Anything a hostile or broken peer might send that is no valid message. */
export const hostileData: fc.Arbitrary<Hostile> = fc.oneof(
  { arbitrary: freeForm.map(held), weight: 5 },
  { arbitrary: oneFieldWrong.map(held), weight: 6 },
  { arbitrary: wrongVersion.map(held), weight: 1 },
  {
    arbitrary: exotic.map(
      (make): Hostile => ({ make, toString: () => make.toString().replace(/\s+/g, ' ') }),
    ),
    weight: 1,
  },
)
