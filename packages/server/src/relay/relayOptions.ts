import { MeetingError } from '@convene/core'
import { DEFAULT_RELAY_PATH } from '@convene/core/wire'

/** The Socket.IO relay that `@convene/transport-socketio` talks to. */
export interface ConveneRelayOptions {
  /** Where Socket.IO is served; the transport's `path` must match. Defaults to `'/convene/relay'`. */
  path?: string
  /**
   * How often the server pings each client (Socket.IO's `pingInterval`). Over the relay this is each
   * session's liveness when its connection goes silent without closing (a pulled cable, a frozen
   * machine): such a client is dropped after at most `pingIntervalMs + pingTimeoutMs`, then held for
   * `recoveryMs` before its meeting is told. A crashed process's socket closes at once and needs no
   * ping: it is told after `recoveryMs` whatever these are. One ping and one pong per client per
   * interval: linear in the number of clients (at the default, 400 packets a second for 1,000).
   * Defaults to `5000` ms.
   */
  pingIntervalMs?: number
  /**
   * How long a ping may go unanswered (Socket.IO's `pingTimeout`): the stall a client may have without
   * being dropped. A busy client (a tab in the background, a machine saturated by a large join) answers
   * late, never early, and dropping it costs the whole meeting a false departure and a rejoin; a longer
   * timeout costs only a later notice of a silent disappearance (`pingIntervalMs + pingTimeoutMs +
   * recoveryMs`, 20 s at the defaults), never of a crash. Defaults to `10000` ms.
   */
  pingTimeoutMs?: number
  /**
   * The grace period: how long a dropped session can come back as itself, with the messages it missed
   * (Socket.IO's connection-state recovery, `maxDisconnectionDuration`), and how long its meeting is
   * told nothing. A session that did not come back by then, on any node, is announced as `lost`, once.
   * Covers a brief network drop and a failover to another node (measured well under a second); each
   * second here is a second more before a crash is told. Defaults to `5000` ms.
   */
  recoveryMs?: number
  /**
   * With `redis`: how long the sessions of a node found dead are held, from when a surviving node
   * claims it (its Redis key expired, within 3 s of its death), before those that did not come back
   * are announced as `lost`. They all come back at once to the other nodes, each a fresh connect with
   * a `welcome` of the whole meeting: on a busy cluster such a herd takes longer than one client's
   * drop (`recoveryMs`), and any returning later than this is told gone to everyone and then arrives
   * again. Longer costs only a later notice of a client that died together with its node.
   * Defaults to `15000` ms.
   */
  failoverGraceMs?: number
}

/**
 * Engine.IO packets through this node's relay since it started, every kind counted (pings and pongs,
 * messages, presence): what a meeting costs the server. One message to a meeting of N is N packets out.
 */
export interface RelayTraffic {
  /** Packets received from clients. */
  packetsIn: number
  /** Packets sent to clients. */
  packetsOut: number
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
    pingIntervalMs: duration('relay.pingIntervalMs', options.pingIntervalMs, 5_000, 100),
    pingTimeoutMs: duration('relay.pingTimeoutMs', options.pingTimeoutMs, 10_000, 100),
    recoveryMs: duration('relay.recoveryMs', options.recoveryMs, 5_000, 0),
    failoverGraceMs: duration('relay.failoverGraceMs', options.failoverGraceMs, 15_000, 0),
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
