import { MAX_NAME_LENGTH } from './limits.js'

/**
 * How every Convene wire format is read from untrusted JSON, field by field: core's peer messages, a
 * transport's attested record, the relay's handshake and its member records. A reader returns the
 * field's value or calls `fail` (which throws) with the first thing wrong, naming the field; the
 * readers of each format compose these, so a rule (what a name or a role may be) is written once.
 */

/** Called with why a field is wrong; never returns (it throws). */
export type Fail = (reason: string) => never

/** Whether `value` is a JSON object (not `null`, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A string of 1 to `max` UTF-16 code units. */
export function text(value: unknown, field: string, max: number, fail: Fail): string {
  if (typeof value !== 'string') return fail(`\`${field}\` must be a string`)
  if (value.length === 0 || value.length > max) fail(`\`${field}\` must be 1-${max} characters`)
  return value
}

/** A display name: empty (the app gave none) or up to {@link MAX_NAME_LENGTH} characters. */
export function displayName(value: unknown, field: string, fail: Fail): string {
  return value === '' ? '' : text(value, field, MAX_NAME_LENGTH, fail)
}

/** A safe integer of at least `min` (0 by default): a count, a sequence number, ms since the epoch. */
export function count(value: unknown, field: string, fail: Fail, min = 0): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    return fail(`\`${field}\` must be an integer >= ${min}`)
  }
  return value
}

export function flag(value: unknown, field: string, fail: Fail): boolean {
  if (typeof value !== 'boolean') return fail(`\`${field}\` must be a boolean`)
  return value
}

/** `{ mic, webcam }`, both booleans; a new object with those two fields only. */
export function mediaState(value: unknown, field: string, fail: Fail): { mic: boolean; webcam: boolean } {
  if (!isRecord(value)) return fail(`\`${field}\` must be an object`)
  return { mic: flag(value.mic, `${field}.mic`, fail), webcam: flag(value.webcam, `${field}.webcam`, fail) }
}

export function role(value: unknown, field: string, fail: Fail): 'host' | 'participant' {
  if (value !== 'host' && value !== 'participant') return fail(`\`${field}\` must be "host" or "participant"`)
  return value
}

/** What {@link failField} throws through a reader: why a field was refused, for its caller to catch. */
export class FieldError {
  readonly reason: string
  constructor(reason: string) {
    this.reason = reason
  }
}

/**
 * The `fail` to read with: throws a {@link FieldError}. One module-level function, not a closure made
 * for every message a meeting receives.
 */
export const failField: Fail = (reason) => {
  throw new FieldError(reason)
}

/**
 * Runs a reader with a `fail` of its own: what it read, or why it failed. For a caller that answers a
 * bad value (a refusal to send, a record to drop) rather than throwing; any other error still throws.
 */
export function readFields<T>(
  read: (fail: Fail) => T,
): { ok: true; value: T } | { ok: false; reason: string } {
  try {
    return { ok: true, value: read(failField) }
  } catch (error) {
    if (error instanceof FieldError) return { ok: false, reason: error.reason }
    throw error
  }
}
