import { GCProfiler, type HeapStatistics } from 'node:v8'

// What a loop costs the old generation, read from V8's own GC records (`v8.GCProfiler`, Node 18.15+).
// The time ratios of core-throughput move ±30% between runs of one tree; these bytes move far less,
// and they are where the difference between the machine and the floor goes: garbage that reaches the
// old generation is copied by each scavenge it survives and is freed only by a mark-compact.

/** Bytes per message that went to the old generation during a loop. */
export interface OldGenerationBytes {
  /** Young objects a scavenge found alive and moved to the old generation. */
  promoted: number
  /** Objects V8 allocated in the old generation straight away (allocation sites it pretenures). */
  pretenured: number
}

type GCStatistics = { gcType: string; beforeGC: HeapStatistics; afterGC: HeapStatistics }

const oldSpaceUsed = (heap: HeapStatistics): number => {
  const spaces = (heap as unknown as { heapSpaceStatistics: { spaceName: string; spaceUsedSize: number }[] })
    .heapSpaceStatistics
  return spaces.find((space) => space.spaceName === 'old_space')?.spaceUsedSize ?? 0
}

/**
 * Runs `loop` and counts what it moved to the old generation, per message. Old-space growth between
 * two collections is counted as pretenured; growth across a scavenge as promoted. Only the stretch
 * from the first collection to the last is seen, so the count is scaled to the whole loop by the
 * share of collections; `undefined` when the loop ran fewer than two.
 */
export function oldGenerationBytes(messages: number, loop: () => void): OldGenerationBytes | undefined {
  const profiler = new GCProfiler()
  profiler.start()
  loop()
  const statistics = (profiler.stop()?.statistics ?? []) as unknown as GCStatistics[]
  if (statistics.length < 2) return undefined
  let promoted = 0
  let pretenured = 0
  for (let i = 0; i < statistics.length; i++) {
    const gc = statistics[i] as GCStatistics
    if (gc.gcType === 'Scavenge') promoted += oldSpaceUsed(gc.afterGC) - oldSpaceUsed(gc.beforeGC)
    if (i > 0) {
      const previous = statistics[i - 1] as GCStatistics
      pretenured += Math.max(0, oldSpaceUsed(gc.beforeGC) - oldSpaceUsed(previous.afterGC))
    }
  }
  // Messages between the first collection and the last, assuming collections evenly spread.
  const seen = (messages * (statistics.length - 1)) / statistics.length
  return { promoted: Math.round(promoted / messages), pretenured: Math.round(pretenured / seen) }
}
