import { isMeetingError } from '@convene/core'
import { KEY_HINT } from './cliAuth.js'

/** The API option each CLI flag sets, so an invalid value is reported under the flag the user typed. */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  host: '--host',
  port: '--port',
  path: '--path',
  key: '--key',
  logger: '--log-level',
  CONVENE_LOG_LEVEL: 'CONVENE_LOG_LEVEL',
  corsOrigin: '--cors-origin',
  'auth.expiresIn': '--expires-in',
  redis: '--redis',
  'relay.path': '--relay-path',
  'relay.pingIntervalMs': '--ping-interval',
  'relay.pingTimeoutMs': '--ping-timeout',
  'relay.recoveryMs': '--grace',
  'relay.failoverGraceMs': '--failover-grace',
}

/** What the CLI prints for a failure, and whether the usage text helps (only for a bad command line). */
export interface CliFailure {
  line: string
  showUsage: boolean
}

const codeOf = (error: unknown): string | undefined =>
  typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined

/**
 * One line naming the problem. A bad flag points at --help; a runtime failure (a port in use, a key
 * file that cannot be read) says what to do, without the whole usage text burying it.
 */
export function describeCliFailure(error: unknown, where: { host: string; port: number }): CliFailure {
  const message = error instanceof Error ? error.message : String(error)
  const code = codeOf(error)
  if (code?.startsWith('ERR_PARSE_ARGS_')) return { line: message, showUsage: true }
  if (isMeetingError(error) && error.code === 'INVALID_OPTION') {
    // MeetingError.invalidOption: "Invalid option `<name>`: <why>" (a key file's own errors say `key`
    // too, so that one is left as it is: --key is PeerServer's key, not the signing key).
    const named = /^Invalid option `([^`]+)`/.exec(message)
    const flag = named && named[1] !== 'key' ? FLAG_OF_OPTION[named[1]!] : undefined
    return {
      line: flag ? message.replace(named![0], `Invalid ${flag}`) : message,
      showUsage: false,
    }
  }
  if (code === 'EADDRINUSE') {
    return {
      line: `port ${where.port} on ${where.host} is already in use (EADDRINUSE): stop what listens there, or pick another with --port`,
      showUsage: false,
    }
  }
  if (code === 'EADDRNOTAVAIL') {
    return {
      line: `cannot listen on ${where.host}: no such address on this machine (--host)`,
      showUsage: false,
    }
  }
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
    const path = typeof error === 'object' && error !== null && 'path' in error ? String(error.path) : ''
    return { line: `cannot read the signing key file ${path} (${code}); ${KEY_HINT}`, showUsage: false }
  }
  return { line: message, showUsage: false }
}
