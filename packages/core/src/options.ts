import { MAX_TOKEN_LENGTH } from './auth/credentials.js'
import type { MeetingTiming } from './context.js'
import { MeetingError } from './MeetingError.js'
import { randomId } from './platform.js'
import { MAX_ID_LENGTH, MAX_NAME_LENGTH } from './protocol.js'
import type { CreateMeetingOptions, MeetingAuth, ParticipantRole, TokenProvider } from './types.js'

export const DEFAULTS = {
  heartbeatIntervalMs: 1000,
  departureTimeoutMs: 3000,
  connectedDepartureTimeoutMs: 30_000,
  joinTimeoutMs: 15_000,
  leaveTimeoutMs: 10_000,
  reconnectTimeoutMs: 30_000,
} as const

/**
 * How long a `join()` made while the last session's goodbye is still out waits for it (at most): the
 * goodbye may go on for `leaveTimeoutMs` behind the scenes, but not at the cost of the next session.
 */
const REJOIN_WAIT_MS = 1000
/** The longest wait between two copies of an unconfirmed goodbye (see `retransmitMaxMs`). */
const RETRANSMIT_MAX_MS = 1000

export interface ResolvedOptions {
  meetingId: string
  participant: { id: string; name: string; role: ParticipantRole }
  timing: MeetingTiming
  token: string | TokenProvider | undefined
  auth: MeetingAuth | undefined
  createSessionId: () => string
  now: () => number
}

/**
 * The identity of one session, from the app's hooks: checked on every join, because a session id or a
 * clock value the wire protocol refuses would make every peer drop this session's messages in silence.
 */
export function sessionIdentity(resolved: ResolvedOptions): { sessionId: string; joinedAt: number } {
  const sessionId = call(resolved.createSessionId, 'createSessionId')
  if (typeof sessionId !== 'string' || sessionId.length === 0 || sessionId.length > MAX_ID_LENGTH) {
    throw MeetingError.invalidOption(
      'createSessionId',
      `must return a string of 1-${MAX_ID_LENGTH} characters, returned ${describe(sessionId)}`,
    )
  }
  const now = call(resolved.now, 'now')
  if (typeof now !== 'number' || !Number.isFinite(now) || now < 0 || now > Number.MAX_SAFE_INTEGER) {
    throw MeetingError.invalidOption('now', `must return milliseconds >= 0, returned ${describe(now)}`)
  }
  // Whole milliseconds on the wire: `performance.now()` (fractional) is a fine clock too.
  return { sessionId, joinedAt: Math.floor(now) }
}

// The app's hook, run at each join: what it throws comes back as this option's error, with the cause.
function call(hook: () => unknown, option: 'createSessionId' | 'now'): unknown {
  try {
    return hook()
  } catch (cause) {
    const what = cause instanceof Error ? JSON.stringify(cause.message.slice(0, 200)) : describe(cause)
    throw MeetingError.invalidOption(option, `threw ${what}`, cause)
  }
}

function id(value: unknown, option: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
    throw MeetingError.invalidOption(
      option,
      `expected a string of 1-${MAX_ID_LENGTH} characters, got ${describe(value)}`,
    )
  }
  return value
}

function duration(value: unknown, option: keyof typeof DEFAULTS, min: number): number {
  if (value === undefined) return DEFAULTS[option]
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > 2 ** 31 - 1) {
    throw MeetingError.invalidOption(option, `expected milliseconds >= ${min}, got ${describe(value)}`)
  }
  return value
}

// Never shorter than the plain allowance: a connected session must not go sooner than a silent one.
// Left out, it follows a `departureTimeoutMs` set longer than its default.
function connectedTimeout(value: unknown, departureTimeoutMs: number): number {
  if (value === undefined) return Math.max(DEFAULTS.connectedDepartureTimeoutMs, departureTimeoutMs)
  const ms = duration(value, 'connectedDepartureTimeoutMs', 30)
  if (ms < departureTimeoutMs)
    throw MeetingError.invalidOption(
      'connectedDepartureTimeoutMs',
      `expected milliseconds >= departureTimeoutMs (${departureTimeoutMs}), got ${ms}`,
    )
  return ms
}

function describe(value: unknown): string {
  if (typeof value === 'string')
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value)
  return value === null ? 'null' : typeof value === 'object' ? 'an object' : String(value)
}

const OPTION_NAMES = [
  'meetingId',
  'participant',
  'transport',
  'heartbeatIntervalMs',
  'departureTimeoutMs',
  'connectedDepartureTimeoutMs',
  'joinTimeoutMs',
  'leaveTimeoutMs',
  'reconnectTimeoutMs',
  'token',
  'auth',
  'inspect',
  'createSessionId',
  'now',
] as const satisfies readonly (keyof CreateMeetingOptions)[]
const PARTICIPANT_NAMES = ['id', 'name', 'role'] as const

/** A misspelt option (`departureTimeout`, `displayName`) would otherwise be ignored in silence. */
function refuseUnknown(given: object, known: readonly string[], prefix: string): void {
  for (const key of Object.keys(given)) {
    if (known.includes(key)) continue
    const near = known.find((name) => distance(name.toLowerCase(), key.toLowerCase()) <= 3)
    throw MeetingError.invalidOption(
      `${prefix}${key}`,
      `unknown option${near ? `; did you mean \`${prefix}${near}\`?` : '.'} Known: ${known.join(', ')}.`,
    )
  }
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 3) return 4
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = row
  }
  return previous[b.length]!
}

/** Checks every option up front, so a mistake fails at `createMeeting`, not minutes later. */
export function resolveOptions(options: CreateMeetingOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw MeetingError.invalidOption('options', 'createMeeting needs an options object')
  }
  refuseUnknown(options, OPTION_NAMES, '')
  const participant = options.participant as unknown
  if (typeof participant !== 'object' || participant === null) {
    throw MeetingError.invalidOption('participant', 'expected { id, name?, role? }')
  }
  refuseUnknown(participant, PARTICIPANT_NAMES, 'participant.')
  const { id: participantId, name, role } = participant as Record<string, unknown>
  const resolvedName = name === undefined ? undefined : name
  if (
    resolvedName !== undefined &&
    (typeof resolvedName !== 'string' || resolvedName.length > MAX_NAME_LENGTH)
  ) {
    throw MeetingError.invalidOption(
      'participant.name',
      `expected a string of at most ${MAX_NAME_LENGTH} characters`,
    )
  }
  if (role !== undefined && role !== 'host' && role !== 'participant') {
    throw MeetingError.invalidOption(
      'participant.role',
      `expected "host" or "participant", got ${describe(role)}`,
    )
  }
  const transport = options.transport as unknown
  if (
    typeof transport !== 'object' ||
    transport === null ||
    typeof (transport as { session?: unknown }).session !== 'function'
  ) {
    throw MeetingError.invalidOption('transport', 'expected a Transport (an object with a session() method)')
  }
  if (
    options.token !== undefined &&
    typeof options.token !== 'function' &&
    (typeof options.token !== 'string' ||
      options.token.length === 0 ||
      options.token.length > MAX_TOKEN_LENGTH)
  ) {
    // Longer than peers accept, every hello would be dropped as invalid: the meeting would never form.
    throw MeetingError.invalidOption(
      'token',
      `expected a function returning a token, or a string of 1-${MAX_TOKEN_LENGTH} characters`,
    )
  }
  const inspect = options.inspect as unknown
  if (
    inspect !== undefined &&
    typeof inspect !== 'function' &&
    !(
      typeof inspect === 'object' &&
      inspect !== null &&
      ['undefined', 'function'].includes(typeof (inspect as { next?: unknown }).next)
    )
  ) {
    throw MeetingError.invalidOption('inspect', 'expected a function or an observer { next(event) }')
  }
  const auth = options.auth as unknown
  if (auth !== undefined) {
    const shape = auth as { jwks?: unknown; publicKey?: unknown }
    const ok =
      typeof auth === 'object' &&
      auth !== null &&
      ((typeof shape.jwks === 'string' && shape.jwks.length > 0) ||
        (typeof shape.jwks === 'object' &&
          shape.jwks !== null &&
          Array.isArray((shape.jwks as { keys?: unknown }).keys)) ||
        (typeof shape.publicKey === 'string' && shape.publicKey.length > 0) ||
        (typeof shape.publicKey === 'object' && shape.publicKey !== null))
    if (!ok)
      throw MeetingError.invalidOption(
        'auth',
        'expected { jwks: JWKS object or URL } or { publicKey: JWK or PEM }',
      )
    const allow = (auth as { allowBearerTokens?: unknown }).allowBearerTokens
    if (allow !== undefined && typeof allow !== 'boolean')
      throw MeetingError.invalidOption('auth.allowBearerTokens', 'expected a boolean')
    if (options.token === undefined) throw MeetingError.invalidOption('token', 'required when `auth` is set')
  }
  for (const fn of ['createSessionId', 'now'] as const) {
    if (options[fn] !== undefined && typeof options[fn] !== 'function') {
      throw MeetingError.invalidOption(fn, 'expected a function')
    }
  }
  const heartbeatIntervalMs = duration(options.heartbeatIntervalMs, 'heartbeatIntervalMs', 10)
  const departureTimeoutMs = duration(options.departureTimeoutMs, 'departureTimeoutMs', 30)
  const connectedDepartureTimeoutMs = connectedTimeout(
    options.connectedDepartureTimeoutMs,
    departureTimeoutMs,
  )
  const leaveTimeoutMs = duration(options.leaveTimeoutMs, 'leaveTimeoutMs', 0)
  const tickMs = Math.min(heartbeatIntervalMs, Math.ceil(departureTimeoutMs / 3))
  const retransmitMs = Math.max(10, Math.floor(Math.min(leaveTimeoutMs, REJOIN_WAIT_MS) / 4))
  const resolvedId = id(participantId, 'participant.id')
  return {
    meetingId: id(options.meetingId, 'meetingId'),
    participant: {
      id: resolvedId,
      name: (resolvedName as string | undefined) || resolvedId,
      role: (role as ParticipantRole | undefined) ?? 'participant',
    },
    timing: {
      tickMs,
      departureTimeoutMs,
      connectedDepartureTimeoutMs,
      joinTimeoutMs: duration(options.joinTimeoutMs, 'joinTimeoutMs', 1),
      leaveTimeoutMs,
      reconnectTimeoutMs: duration(options.reconnectTimeoutMs, 'reconnectTimeoutMs', 0),
      // The first resend a quarter of a second after the goodbye (or a quarter of the whole leave
      // timeout, when that is shorter): most losses are one packet, and a join() may be waiting.
      retransmitMs,
      // Then each wait doubles (250, 500, 1000 ms), up to one heartbeat interval, and at most 1 s: a
      // lagging link may need many seconds to carry the goodbye, and without a cap (every 250 ms) a host
      // sent 72 ENDs in one End. Not longer than a heartbeat interval: an END obeyer's copies stand in
      // for its heartbeats while the END is late to reach a peer, whose silence allowance is at least 3
      // of our intervals. Not longer than 1 s: a lost copy then costs at most 1 s more.
      retransmitMaxMs: Math.max(retransmitMs, Math.min(tickMs, RETRANSMIT_MAX_MS)),
      rejoinWaitMs: Math.min(leaveTimeoutMs, REJOIN_WAIT_MS),
    },
    token: options.token,
    auth: options.auth,
    createSessionId: options.createSessionId ?? randomId,
    now: options.now ?? Date.now,
  }
}
