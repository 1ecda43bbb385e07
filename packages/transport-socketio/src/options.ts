import { MeetingError } from '@convene/core'
import { DEFAULT_RELAY_PATH } from '@convene/core/wire'
import { refuseUnknownOptions } from './knownOptions.js'

export interface SocketIOTransportOptions {
  /**
   * The server's base URL (`ConveneServer.url`, such as `https://meet.example.com`), or the URLs of
   * several nodes of one cluster: when the node in use is gone, each reconnection attempt moves on to the
   * next one. Required.
   */
  url: string | readonly string[]
  /** The relay's path on the server (`ConveneServer.relayPath`). Defaults to `'/convene/relay'`. */
  path?: string
  /**
   * Socket.IO's reconnection backoff: the first retry after about this long, doubling up to
   * `reconnectionDelayMaxMs` (with Socket.IO's own ±50% jitter). It never gives up by itself: core's
   * `reconnectTimeoutMs` decides when a lost session ends. Short, because the first attempt after a drop
   * goes to the next node of the list: after a node died, what its sessions wait here is time the node
   * that takes them in sits idle before their herd. Defaults to `100` ms.
   */
  reconnectionDelayMs?: number
  /** The longest wait between two reconnection attempts. Defaults to `2000` ms. */
  reconnectionDelayMaxMs?: number
  /**
   * How long one connection attempt may take before it counts as failed (Socket.IO's `timeout`), up to
   * the relay's open packet. A node that died refuses at once whatever this is; this only bounds a
   * node that accepts and then stalls. A node taking in a failover's herd of hundreds answers some
   * late, not never: at 1,000, attempts cut at 5 s were a second try and the slowest returns (p95
   * 5.9-6.5 s). Defaults to `10000` ms.
   */
  connectTimeoutMs?: number
  /** How long `drain()` waits for the relay to confirm what was sent so far. Defaults to `2000` ms. */
  drainTimeoutMs?: number
  /**
   * How to reach the relay. Defaults to `['websocket']`: WebSocket only, so a load balancer in front of
   * several nodes needs no sticky sessions. Add `'polling'` (first) for networks that block WebSockets;
   * the balancer must then pin each client to one node.
   */
  transports?: readonly ('websocket' | 'polling')[]
}

// Every option by name (see refuseUnknownOptions): `transport: ['polling']` must not silently keep WebSocket only.
const KNOWN_OPTIONS: Record<keyof SocketIOTransportOptions, true> = {
  url: true,
  path: true,
  reconnectionDelayMs: true,
  reconnectionDelayMaxMs: true,
  connectTimeoutMs: true,
  drainTimeoutMs: true,
  transports: true,
}

export interface ResolvedSocketIOOptions {
  urls: URL[]
  path: string
  reconnectionDelayMs: number
  reconnectionDelayMaxMs: number
  connectTimeoutMs: number
  drainTimeoutMs: number
  transports: ('websocket' | 'polling')[]
}

function fail(option: string, message: string): never {
  throw MeetingError.invalidOption(option, message)
}

function httpUrl(value: unknown): URL {
  try {
    const url = new URL(String(value))
    if (typeof value === 'string' && ['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return url
  } catch {}
  return fail('url', 'must be an http(s):// or ws(s):// URL, or a non-empty list of them')
}

function ms(option: string, value: unknown, fallback: number, min: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 600_000) {
    fail(option, `must be an integer from ${min} to 600000 (ms)`)
  }
  return value
}

/** Checks every option and fills the defaults; throws `MeetingError('INVALID_OPTION')` on the first bad one. */
export function resolveSocketIOOptions(options: SocketIOTransportOptions): ResolvedSocketIOOptions {
  if (typeof options !== 'object' || options === null) fail('options', 'must be an object with `url`')
  refuseUnknownOptions(options, KNOWN_OPTIONS)
  const list = typeof options.url === 'string' ? [options.url] : options.url
  if (!Array.isArray(list) || list.length === 0) fail('url', 'must be a URL or a non-empty list of URLs')
  const path = options.path ?? DEFAULT_RELAY_PATH
  if (typeof path !== 'string' || !/^\/[A-Za-z0-9._~\-/]*$/.test(path)) {
    fail('path', 'must be a URL path starting with "/"')
  }
  const transports = options.transports ?? ['websocket']
  if (
    !Array.isArray(transports) ||
    transports.length === 0 ||
    !transports.every((t) => t === 'websocket' || t === 'polling')
  ) {
    fail('transports', "must be a non-empty list of 'websocket' and 'polling'")
  }
  const reconnectionDelayMs = ms('reconnectionDelayMs', options.reconnectionDelayMs, 100, 1)
  return {
    urls: list.map(httpUrl),
    path,
    reconnectionDelayMs,
    reconnectionDelayMaxMs: Math.max(
      reconnectionDelayMs,
      ms('reconnectionDelayMaxMs', options.reconnectionDelayMaxMs, 2_000, 1),
    ),
    connectTimeoutMs: ms('connectTimeoutMs', options.connectTimeoutMs, 10_000, 100),
    drainTimeoutMs: ms('drainTimeoutMs', options.drainTimeoutMs, 2_000, 0),
    transports: [...transports],
  }
}
