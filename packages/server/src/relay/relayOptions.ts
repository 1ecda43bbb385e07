import { MeetingError } from '@convene/core'
import { DEFAULT_RELAY_PATH } from '@convene/core/wire'

/** The Socket.IO relay that `@convene/transport-socketio` talks to. */
export interface ConveneRelayOptions {
  /** Where Socket.IO is served; the transport's `path` must match. Defaults to `'/convene/relay'`. */
  path?: string
  /**
   * How often the server pings each client (Socket.IO's `pingInterval`): a client that stops answering
   * is dropped after `pingIntervalMs + pingTimeoutMs`. Defaults to `10000` ms.
   */
  pingIntervalMs?: number
  /** How long a ping may go unanswered (Socket.IO's `pingTimeout`). Defaults to `5000` ms. */
  pingTimeoutMs?: number
  /**
   * How long a dropped session can come back as itself, with the messages it missed (Socket.IO's
   * connection-state recovery, `maxDisconnectionDuration`). Defaults to `30000` ms.
   */
  recoveryMs?: number
}

export type ResolvedRelayOptions = Required<ConveneRelayOptions>

function fail(option: string, message: string): never {
  throw MeetingError.invalidOption(option, message)
}

function duration(option: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 3_600_000) {
    fail(option, `must be an integer from ${min} to 3600000 (ms)`)
  }
  return value
}

/** Checks `relay` (and `redis`); throws `MeetingError('INVALID_OPTION')` naming the bad field. */
export function resolveRelayOptions(
  relay: ConveneRelayOptions | false | undefined,
  mountPath: (option: string, value: unknown) => string,
): ResolvedRelayOptions | null {
  if (relay === false) return null
  if (relay !== undefined && (typeof relay !== 'object' || relay === null)) {
    fail('relay', 'must be an object or `false`')
  }
  const options = relay ?? {}
  return {
    path: mountPath('relay.path', options.path ?? DEFAULT_RELAY_PATH),
    pingIntervalMs: duration('relay.pingIntervalMs', options.pingIntervalMs, 10_000, 100),
    pingTimeoutMs: duration('relay.pingTimeoutMs', options.pingTimeoutMs, 5_000, 100),
    recoveryMs: duration('relay.recoveryMs', options.recoveryMs, 30_000, 0),
  }
}

/** `redis://` or `rediss://` URL, or a clear error. */
export function resolveRedisUrl(value: unknown): string | null {
  if (value === undefined) return null
  let url: URL | null = null
  try {
    url = typeof value === 'string' ? new URL(value) : null
  } catch {
    url = null
  }
  if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:')) {
    fail('redis', 'must be a redis:// or rediss:// URL, such as redis://127.0.0.1:6379')
  }
  return value as string
}
