import type { IncomingHttpHeaders } from 'node:http'
import { MeetingError } from '@convene/core'
import { type ConveneServerAuth, type ResolvedAuth, resolveAuthOptions } from './auth/authOptions.js'
import { refuseUnknownOptions } from './knownOptions.js'
import { type LevelWithSilent, type Logger, resolveLogger } from './logger.js'
import {
  type ConveneRelayOptions,
  type ResolvedRelayOptions,
  resolveRedisUrl,
  resolveRelayOptions,
} from './relay/relayOptions.js'

/** What a request asks for, handed to {@link ConveneServerOptions.authorize}. */
export interface AuthorizeRequest {
  /** `'list'`: read the peers of one meeting from the room directory. */
  readonly action: 'list'
  /** The meeting named in the request. */
  readonly meetingId: string
  /** The request's HTTP headers (for example `authorization`), for token checks. */
  readonly headers: IncomingHttpHeaders
}

export interface ConveneServerOptions {
  /** The interface to listen on. Defaults to `'127.0.0.1'` (local only); use `'0.0.0.0'` to serve a LAN. */
  host?: string
  /** The TCP port. Defaults to `0`: the system picks a free one, read it from the result's `port`. */
  port?: number
  /** Where PeerServer is mounted; clients pass the same `path`. Defaults to `'/peerjs'`. */
  path?: string
  /** PeerServer's connection key; clients pass the same `key`. Defaults to `'peerjs'`. */
  key?: string
  /** Where the room directory answers `GET <directoryPath>/<meetingId>`. Defaults to `'/convene/rooms'`. */
  directoryPath?: string
  /**
   * Origins allowed to call the server from a browser (CORS): `true` reflects any origin, or list them
   * as `scheme://host[:port]` (`'https://app.example.com'`); any other origin gets no CORS headers, so
   * its pages cannot read an answer. Defaults to `true` (any origin: the playground serves its page from
   * another port). The server never allows credentials (cookies) cross-origin; in production, list
   * your app's origins (CLI: `--cors-origin`).
   */
  corsOrigin?: true | string | readonly string[]
  /**
   * Silence after which PeerServer drops a client (and the directory and the meeting's presence list
   * stop listing it): one that neither sends its signalling heartbeat nor answers the WebSocket ping
   * frames the server sends every quarter of this, such as a suspended or cut-off device, whose socket
   * may stay open for minutes otherwise. The meeting's other sessions then hear it is gone (1.5 s later
   * if it was silent, by core's detector). A browser answers ping frames from its network stack, so a tab
   * whose page is frozen stays listed, and core gives it `connectedDepartureTimeoutMs` (30 s) of silence;
   * a client whose WebRTC links stall while it still answers stays listed and stays in the meeting.
   * `@convene/transport-peerjs` pings every 2 s, a plain PeerJS client every 5 s (its `pingInterval`).
   * Defaults to `10000` ms.
   */
  aliveTimeoutMs?: number
  /**
   * An extra check on room directory listings, asked after the token check when `auth` is on;
   * `false` answers 403. Defaults to allowing everything (that `auth` allows).
   */
  authorize?: (request: AuthorizeRequest) => boolean | Promise<boolean>
  /**
   * Signed participant tokens: issues them at `POST /token` (to whoever `auth.authorize` allows),
   * publishes the public key at `GET /.well-known/jwks.json`, and makes the room directory answer only
   * requests carrying a valid token for that meeting (`Authorization: Bearer`; 401 without, 403 for
   * another meeting's) and, when the token is bound to a session key (`cnf.jwk`), a single-use proof
   * of possession (`Convene-Proof`, see `createDirectoryProof`; 401 `INVALID_PROOF` without), and
   * PeerServer register peer ids only against a single-use proof of possession (see `signallingAuth`). Defaults to none: no tokens, anyone who names a meeting may list it, and any
   * client may register any peer id.
   */
  auth?: ConveneServerAuth
  /**
   * With `auth`: PeerServer registers a peer id only for a session that proves it holds a token for
   * that id's meeting and participant, and the token's key (see `createSignallingToken`); anything
   * else gets HTTP 401 before PeerServer sees it. Without this, whoever replays another participant's
   * token could take over their peer id while they are briefly away and speak under their address.
   * Defaults to `true` when `auth` is set; `true` without `auth` is an error.
   */
  signallingAuth?: boolean
  /**
   * Where the server logs, with levels: a pino logger (`pino(...)`, or a child of the app's own), or a
   * level for a new one writing newline-delimited JSON to stdout. It logs its start (and, without
   * `auth`, one warning that it runs open), tokens issued and refused (who, which meeting, why; never
   * the token), signalling connections refused and why, peers registering and leaving, room directory
   * refusals, and request errors (`debug`). Defaults to `process.env.CONVENE_LOG_LEVEL` when set, else
   * `'info'`; `'silent'` logs nothing.
   */
  logger?: Logger | LevelWithSilent
  /**
   * The Socket.IO relay for `@convene/transport-socketio`, on the same port under a path of its own
   * (see {@link ConveneRelayOptions}); `false` serves none. With `auth`, a socket registers a session
   * only with a valid token and a proof of possession, as PeerServer does. Defaults to `{}`: served at
   * `'/convene/relay'`.
   */
  relay?: ConveneRelayOptions | false
  /**
   * A Redis URL (`redis://127.0.0.1:6379`) to join a cluster of server nodes: Socket.IO's Redis Streams
   * adapter carries the relay's messages between nodes (and its connection-state recovery works across
   * them), and the relay's room directory and used proofs live in Redis. PeerServer (the mesh
   * transport's signalling) stays per node. `createConveneServer` rejects when Redis cannot be reached.
   * Defaults to none: one node, everything in memory.
   */
  redis?: string
}

export type ResolvedServerOptions = Required<
  Omit<ConveneServerOptions, 'authorize' | 'auth' | 'logger' | 'relay' | 'redis'>
> &
  Pick<ConveneServerOptions, 'authorize'> & {
    auth: ResolvedAuth | null
    logger: Logger
    relay: ResolvedRelayOptions | null
    redis: string | null
  }

const MAX_PORT = 65_535

// Every option by name (see refuseUnknownOptions): a misspelt `corsOrigins` must not leave every origin allowed.
const KNOWN = {
  server: {
    host: true,
    port: true,
    path: true,
    key: true,
    directoryPath: true,
    corsOrigin: true,
    aliveTimeoutMs: true,
    authorize: true,
    auth: true,
    signallingAuth: true,
    logger: true,
    relay: true,
    redis: true,
  } satisfies Record<keyof ConveneServerOptions, true>,
  auth: {
    signingKey: true,
    authorize: true,
    expiresIn: true,
    tokenPath: true,
    refusal: true,
  } satisfies Record<keyof ConveneServerAuth, true>,
  relay: {
    path: true,
    pingIntervalMs: true,
    pingTimeoutMs: true,
    recoveryMs: true,
    failoverGraceMs: true,
  } satisfies Record<keyof ConveneRelayOptions, true>,
}

function fail(option: string, message: string): never {
  throw MeetingError.invalidOption(option, message)
}

function mountPath(option: string, value: unknown): string {
  if (typeof value !== 'string' || !/^\/[A-Za-z0-9._~\-/]*$/.test(value)) {
    fail(option, 'must be a URL path starting with "/" (letters, digits, "._~-/")')
  }
  // Trailing slashes would make `/peerjs/` and `/peerjs` two different mounts.
  return value.length > 1 ? value.replace(/\/+$/, '') : value
}

/** `https://app.example.com` or `http://127.0.0.1:5173`, exactly as a browser sends it in `Origin`. */
function isOrigin(value: unknown): boolean {
  if (typeof value !== 'string') return false
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === value
  } catch {
    return false
  }
}

/** Checks every option and fills the defaults; throws `MeetingError('INVALID_OPTION')` on the first bad one. */
export function resolveServerOptions(options: ConveneServerOptions = {}): ResolvedServerOptions {
  if (typeof options !== 'object' || options === null) fail('options', 'must be an object')
  refuseUnknownOptions(options, KNOWN.server)
  if (typeof options.auth === 'object' && options.auth !== null)
    refuseUnknownOptions(options.auth, KNOWN.auth, 'auth.')
  if (typeof options.relay === 'object' && options.relay !== null) {
    refuseUnknownOptions(options.relay, KNOWN.relay, 'relay.')
  }
  const { host = '127.0.0.1', port = 0, key = 'peerjs', corsOrigin = true, aliveTimeoutMs = 10_000 } = options
  if (typeof host !== 'string' || host.length === 0) fail('host', 'must be a non-empty string')
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > MAX_PORT) {
    fail('port', `must be an integer from 0 to ${MAX_PORT}`)
  }
  const path = mountPath('path', options.path ?? '/peerjs')
  const directoryPath = mountPath('directoryPath', options.directoryPath ?? '/convene/rooms')
  if (directoryPath === '/' || directoryPath === path)
    fail('directoryPath', 'must differ from "/" and `path`')
  if (typeof key !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(key)) {
    fail('key', 'must be 1-64 letters, digits, "_" or "-"')
  }
  const originOk =
    corsOrigin === true ||
    isOrigin(corsOrigin) ||
    (Array.isArray(corsOrigin) && corsOrigin.length > 0 && corsOrigin.every(isOrigin))
  if (!originOk) {
    fail('corsOrigin', 'must be `true`, an origin (scheme://host[:port], no path), or a list of origins')
  }
  if (typeof aliveTimeoutMs !== 'number' || !Number.isInteger(aliveTimeoutMs) || aliveTimeoutMs < 1000) {
    fail('aliveTimeoutMs', 'must be an integer >= 1000')
  }
  if (options.authorize !== undefined && typeof options.authorize !== 'function') {
    fail('authorize', 'must be a function')
  }
  const auth = resolveAuthOptions(options.auth, mountPath)
  if (auth && (auth.tokenPath === path || auth.tokenPath === directoryPath)) {
    fail('auth.tokenPath', 'must differ from `path` and `directoryPath`')
  }
  if (options.signallingAuth !== undefined && typeof options.signallingAuth !== 'boolean') {
    fail('signallingAuth', 'must be a boolean')
  }
  if (options.signallingAuth === true && !auth)
    fail('signallingAuth', 'needs `auth` (the keys to check with)')
  const relay = resolveRelayOptions(options.relay, mountPath)
  if (relay && [path, directoryPath, auth?.tokenPath].includes(relay.path)) {
    fail('relay.path', 'must differ from `path`, `directoryPath` and `auth.tokenPath`')
  }
  return {
    host,
    port,
    path,
    key,
    directoryPath,
    corsOrigin,
    aliveTimeoutMs,
    authorize: options.authorize,
    auth,
    signallingAuth: auth !== null && options.signallingAuth !== false,
    logger: resolveLogger(options.logger),
    relay,
    redis: resolveRedisUrl(options.redis),
  }
}
