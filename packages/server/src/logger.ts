import { MeetingError } from '@convene/core'
import { type LevelWithSilent, type Logger, pino } from 'pino'

export type { LevelWithSilent, Logger } from 'pino'

/** The levels `--log-level` and `CONVENE_LOG_LEVEL` take. */
export const LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']

const isLevel = (value: unknown): value is LevelWithSilent =>
  typeof value === 'string' && LEVELS.includes(value)

function looksLikeLogger(value: unknown): value is Logger {
  if (typeof value !== 'object' || value === null) return false
  const logger = value as Record<string, unknown>
  return ['child', 'error', 'warn', 'info', 'debug'].every((method) => typeof logger[method] === 'function')
}

/** Newline-delimited JSON on stdout, one line per event, with `name: 'convene-server'`. */
export function createServerLogger(level: LevelWithSilent): Logger {
  return pino({ name: 'convene-server', level })
}

/**
 * The server's logger: the one given, a new one at the given level, or by default one at
 * `CONVENE_LOG_LEVEL` (when set) or `'info'`. Throws `MeetingError('INVALID_OPTION')` for anything else.
 */
export function resolveLogger(option: unknown, env: NodeJS.ProcessEnv = process.env): Logger {
  if (option === undefined) {
    const fromEnv = env.CONVENE_LOG_LEVEL
    if (fromEnv === undefined || fromEnv === '') return createServerLogger('info')
    if (!isLevel(fromEnv)) {
      throw MeetingError.invalidOption('CONVENE_LOG_LEVEL', `must be one of ${LEVELS.join(', ')}`)
    }
    return createServerLogger(fromEnv)
  }
  if (isLevel(option)) return createServerLogger(option)
  if (looksLikeLogger(option)) return option
  throw MeetingError.invalidOption('logger', `must be a pino logger or one of ${LEVELS.join(', ')}`)
}
