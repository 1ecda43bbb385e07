import { MeetingError } from '../MeetingError.js'
import type { TransportSessionOptions } from '../transport.js'
import type { MemoryFaults, MemoryNetworkOptions } from './types.js'

export interface ResolvedNetworkOptions {
  seed: number
  crashLinkDownAfterMs: number | undefined
  faults: MemoryFaults
  onObserverError: NonNullable<MemoryNetworkOptions['onObserverError']>
  localMedia: boolean
}

const NETWORK_KEYS = new Set(['seed', 'crashLinkDownAfterMs', 'faults', 'onObserverError', 'localMedia'])
const FAULT_KEYS = new Set(['drop', 'duplicate', 'delayMs', 'reorder'])

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isWholeMs = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0

function rejectUnknownKeys(value: Record<string, unknown>, known: Set<string>, prefix: string): void {
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      throw MeetingError.invalidOption(
        `${prefix}${key}`,
        `unknown option; expected one of ${[...known].join(', ')}`,
      )
    }
  }
}

function probability(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw MeetingError.invalidOption(option, 'must be a probability between 0 and 1')
  }
  return value
}

/** Returns a copy, so a caller mutating its object later changes nothing. */
export function validateFaults(value: unknown, option = 'faults'): MemoryFaults {
  if (!isRecord(value)) throw MeetingError.invalidOption(option, 'must be an object such as { drop: 0.1 }')
  rejectUnknownKeys(value, FAULT_KEYS, `${option}.`)
  const faults: MemoryFaults = {}
  const drop = probability(value.drop, `${option}.drop`)
  if (drop !== undefined) faults.drop = drop
  const duplicate = probability(value.duplicate, `${option}.duplicate`)
  if (duplicate !== undefined) faults.duplicate = duplicate
  const delay = value.delayMs
  if (isWholeMs(delay)) faults.delayMs = delay
  else if (
    Array.isArray(delay) &&
    delay.length === 2 &&
    isWholeMs(delay[0]) &&
    isWholeMs(delay[1]) &&
    delay[0] <= delay[1]
  ) {
    faults.delayMs = [delay[0], delay[1]]
  } else if (delay !== undefined) {
    throw MeetingError.invalidOption(
      `${option}.delayMs`,
      'must be whole milliseconds >= 0, or [min, max] with min <= max',
    )
  }
  if (value.reorder !== undefined) {
    if (typeof value.reorder !== 'boolean')
      throw MeetingError.invalidOption(`${option}.reorder`, 'must be a boolean')
    faults.reorder = value.reorder
  }
  return faults
}

const rethrowLater = (error: unknown) =>
  queueMicrotask(() => {
    throw error
  })

export function validateNetworkOptions(value: unknown): ResolvedNetworkOptions {
  if (value === undefined) value = {}
  if (!isRecord(value)) throw MeetingError.invalidOption('options', 'must be an object such as { seed: 42 }')
  rejectUnknownKeys(value, NETWORK_KEYS, '')
  const {
    seed = 0,
    crashLinkDownAfterMs,
    faults = {},
    onObserverError = rethrowLater,
    localMedia = false,
  } = value
  if (typeof localMedia !== 'boolean') throw MeetingError.invalidOption('localMedia', 'must be a boolean')
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw MeetingError.invalidOption('seed', 'must be an integer')
  }
  if (crashLinkDownAfterMs !== undefined && !isWholeMs(crashLinkDownAfterMs)) {
    throw MeetingError.invalidOption('crashLinkDownAfterMs', 'must be whole milliseconds >= 0')
  }
  if (typeof onObserverError !== 'function') {
    throw MeetingError.invalidOption('onObserverError', 'must be a function')
  }
  return {
    seed,
    crashLinkDownAfterMs,
    faults: validateFaults(faults),
    onObserverError: onObserverError as ResolvedNetworkOptions['onObserverError'],
    localMedia,
  }
}

export function validateId(value: unknown, option: string): string {
  if (typeof value !== 'string' || value.length === 0)
    throw MeetingError.invalidOption(option, 'must be a non-empty string')
  return value
}

export function validateSessionOptions(value: unknown): TransportSessionOptions {
  if (!isRecord(value))
    throw MeetingError.invalidOption('session', 'must be { meetingId, participantId, sessionId }')
  return {
    meetingId: validateId(value.meetingId, 'meetingId'),
    participantId: validateId(value.participantId, 'participantId'),
    sessionId: validateId(value.sessionId, 'sessionId'),
  }
}

/** Participant id -> group index; a participant listed in two groups is a mistake, not a choice. */
export function validateGroups(groups: readonly unknown[]): ReadonlyMap<string, number> {
  if (groups.length < 2) throw MeetingError.invalidOption('groups', 'partition() needs at least two groups')
  const groupOf = new Map<string, number>()
  groups.forEach((group, index) => {
    if (!Array.isArray(group))
      throw MeetingError.invalidOption('groups', 'each group must be an array of participant ids')
    for (const id of group) {
      validateId(id, 'groups')
      const other = groupOf.get(id)
      if (other !== undefined && other !== index) {
        throw MeetingError.invalidOption('groups', `participant "${id}" is in two groups`)
      }
      groupOf.set(id, index)
    }
  })
  return groupOf
}
