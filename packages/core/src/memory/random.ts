/** A source of numbers in [0, 1). */
export type Random = () => number

/**
 * mulberry32: 32 bits of state, fast, and well spread for fault injection. Not for anything secret;
 * it exists so the same seed replays the same drops, duplicates and delays.
 */
export function createRandom(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
