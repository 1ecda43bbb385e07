import type { Random } from './random.js'
import type { MemoryFaults } from './types.js'

/** The validated faults, turned into the draws the network makes per message. */
export interface FaultModel {
  readonly reorder: boolean
  drops(): boolean
  duplicates(): boolean
  /** Whole milliseconds. */
  delay(): number
}

export function createFaultModel(faults: MemoryFaults, random: Random): FaultModel {
  const drop = faults.drop ?? 0
  const duplicate = faults.duplicate ?? 0
  const range = faults.delayMs ?? 0
  const [min, max] = typeof range === 'number' ? [range, range] : range
  // A fault that is off draws nothing, so switching one on does not shift the others' sequence of draws.
  return {
    reorder: faults.reorder ?? false,
    drops: () => drop > 0 && random() < drop,
    duplicates: () => duplicate > 0 && random() < duplicate,
    delay: () => (max === min ? min : min + Math.floor(random() * (max - min + 1))),
  }
}
