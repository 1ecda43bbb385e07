/**
 * What a remote participant's presence and indexes would retain in four layouts, measured rather than
 * estimated (bench/README.md, Memory): 200 meetings of N participants built in each layout, heap plus
 * `arrayBuffers` (typed arrays over 64 bytes live outside the V8 heap) retained per participant, beyond
 * the public `Participant` objects and id strings, which every layout keeps. A model of the layouts,
 * not core: nothing here is shipped. Run:
 *   node --expose-gc --import tsx bench/core/presenceLayouts.ts [N] [max index load] [column growth]
 */

const MEETINGS = 200
const N = Number(process.argv[2] ?? 100)
const LOAD = Number(process.argv[3] ?? 0.75)
const GROWTH = Number(process.argv[4] ?? 1.5)
const F64_PER_SLOT = 5 // interval, joinedAt, lastSeq, mediaSeq, lastAt (seqs and times are any safe integer)
const I32_PER_SLOT = 5 // lastHeardTick, gapMs, gapDevMs, lateMs, linked

interface Participant {
  id: string
  name: string
  role: 'participant'
  sessionId: string
  stream: null
  micOn: boolean
  webcamOn: boolean
}

const collect = (globalThis as { gc?: () => void }).gc
function retained(): number {
  for (let i = 0; i < 4; i++) collect?.()
  const usage = process.memoryUsage()
  return usage.heapUsed + usage.arrayBuffers
}

const participants = (meeting: number): Participant[] =>
  Array.from({ length: N }, (_, i) => ({
    id: `p${meeting}-${i}`,
    name: `p${meeting}-${i}`,
    role: 'participant',
    sessionId: `s${meeting}-${i}`,
    stream: null,
    micOn: true,
    webcamOn: true,
  }))

// Today's record, and the same with the participant itself in place of its id.
const presence = (p: Participant, seq: number) => ({
  participantId: p.id,
  linkId: p.sessionId,
  intervalMs: 1000,
  joinedAt: 1,
  lastSeq: seq,
  lastHeardTick: 0,
  linked: true,
  mediaSeq: 0,
  lastAt: null,
  gapMs: 1000,
  gapDevMs: 0,
  lateMs: 0,
})
const record = (p: Participant, seq: number) => ({
  participant: p,
  linkId: p.sessionId,
  intervalMs: 1000,
  joinedAt: 1,
  lastSeq: seq,
  lastHeardTick: 0,
  linked: true,
  mediaSeq: 0,
  lastAt: null,
  gapMs: 1000,
  gapDevMs: 0,
  lateMs: 0,
})

function hash(key: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** Open addressing, linear probing: slot + 1 per key, 0 empty; capacity a power of 2 under `LOAD`. */
function index(keys: string[]): Int32Array {
  let capacity = 8
  while (capacity * LOAD < keys.length) capacity *= 2
  const table = new Int32Array(capacity)
  keys.forEach((key, slot) => {
    let i = hash(key) & (capacity - 1)
    while (table[i] !== 0) i = (i + 1) & (capacity - 1)
    table[i] = slot + 1
  })
  return table
}

function columns(count: number): number {
  let capacity = 8
  while (capacity < count) capacity = Math.ceil(capacity * GROWTH)
  return capacity
}

const LAYOUTS: Record<string, (ps: Participant[]) => unknown> = {
  'today: Presence objects, presence and members Maps': (ps) => {
    const present = new Map<string, ReturnType<typeof presence>>()
    const members = new Map<string, Participant>()
    ps.forEach((p, i) => {
      present.set(p.sessionId, presence(p, i))
      members.set(p.id, p)
    })
    return [present, members]
  },
  'Presence objects in admission order, an index per key': (ps) => [
    ps.map(record),
    index(ps.map((p) => p.sessionId)),
    index(ps.map((p) => p.id)),
  ],
  'presence numbers in columns, members Map kept': (ps) => {
    const capacity = columns(ps.length)
    const ids = new Array<string>(capacity)
    const sessions = new Array<string>(capacity)
    const links = new Array<string>(capacity)
    const f64 = new Float64Array(capacity * F64_PER_SLOT)
    const i32 = new Int32Array(capacity * I32_PER_SLOT)
    const members = new Map<string, Participant>()
    ps.forEach((p, i) => {
      ids[i] = p.id
      sessions[i] = p.sessionId
      links[i] = p.sessionId
      f64[i * F64_PER_SLOT + 2] = i
      members.set(p.id, p)
    })
    return [ids, sessions, links, f64, i32, members, index(ps.map((p) => p.sessionId))]
  },
  'one slot per session (participant, link, numbers), an index per key': (ps) => {
    const capacity = columns(ps.length)
    const slots = new Array<Participant>(capacity)
    const links = new Array<string>(capacity)
    const f64 = new Float64Array(capacity * F64_PER_SLOT)
    const i32 = new Int32Array(capacity * I32_PER_SLOT)
    ps.forEach((p, i) => {
      slots[i] = p
      links[i] = p.sessionId
      f64[i * F64_PER_SLOT + 2] = i
    })
    return [slots, links, f64, i32, index(ps.map((p) => p.sessionId)), index(ps.map((p) => p.id))]
  },
}

if (!collect) throw new Error('run with node --expose-gc')
// Every layout stays held to the end, so one's collection is never counted against the next.
const kept: unknown[] = []
for (const [name, build] of Object.entries(LAYOUTS)) {
  const meetings = Array.from({ length: MEETINGS }, (_, m) => participants(m))
  const before = retained()
  const held = meetings.map(build)
  const bytes = (retained() - before) / (MEETINGS * N)
  kept.push(meetings, held)
  console.log(`${bytes.toFixed(0).padStart(4)} B  ${name} (N = ${N}, load ${LOAD}, growth ${GROWTH})`)
}

export {}
