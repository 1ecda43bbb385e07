import { MeetingError } from '@convene/core'
import { refuseUnknownOptions } from './knownOptions.js'

/** Camera and microphone to acquire with `getUserMedia` when the session starts. */
export interface MediaRequest {
  /** Defaults to `false`. */
  audio?: boolean
  /**
   * `true` for the camera at the browser's default size, or the size and frame rate to ask it for.
   * Defaults to `false`.
   */
  video?: boolean | VideoRequest
}

/**
 * The camera size and frame rate to ask for. Each is an ideal (`getUserMedia` gives the nearest the
 * camera offers), and each one left out is the browser's choice (Chromium: 640 × 480 at 30 fps). Every
 * participant encodes its camera once per peer in a mesh, so a smaller camera is what keeps a meeting of
 * 4-5 responsive on a weak device.
 */
export interface VideoRequest {
  /** Width in pixels. Defaults to the browser's choice. */
  width?: number
  /** Height in pixels. Defaults to the browser's choice. */
  height?: number
  /** Frames per second. Defaults to the browser's choice. */
  frameRate?: number
}

/**
 * A STUN or TURN server, as `RTCPeerConnection` takes it. The DOM's `RTCIceServer` fits it; declared
 * here so a Node program needs no DOM lib to use these types.
 */
export interface IceServer {
  /** The server's URL or URLs: `stun:host:port`, `turn:host:port`, `turns:host:port?transport=tcp`. */
  urls: string | string[]
  /** The TURN user name. Defaults to none (STUN needs none). */
  username?: string
  /** The TURN password. Defaults to none (STUN needs none). */
  credential?: string
}

/**
 * The DOM's `MediaStream` where the program has the DOM lib (browsers, or Node with `lib: ["DOM"]`);
 * elsewhere the little of one the transport uses, so a Node-only `tsconfig` typechecks without
 * `skipLibCheck`.
 */
export type LocalMediaStream = typeof globalThis extends { MediaStream: { prototype: infer Stream } }
  ? Stream
  : { getTracks(): Array<{ stop(): void }> }

/**
 * How long to wait before reconnection attempt `attempt` (1, 2, …) to the PeerServer after a signalling
 * drop: a fixed delay in ms, or a function returning the delay, or `null` to stop trying.
 */
export type ReconnectPolicy = number | ((context: { attempt: number }) => number | null)

/** Doubles from 250 ms up to 5 s and never gives up: core's `reconnectTimeoutMs` decides when to stop. */
export const defaultReconnectPolicy: ReconnectPolicy = ({ attempt }) =>
  Math.min(250 * 2 ** (attempt - 1), 5000)

export interface PeerJSTransportOptions {
  /** PeerServer host. Defaults to `location.hostname` in a browser, else `'127.0.0.1'`. */
  host?: string
  /** PeerServer port. Defaults to `location.port` (or 443/80) in a browser, else `9000`. */
  port?: number
  /** PeerServer mount path, as given to `createConveneServer`. Defaults to `'/peerjs'`. */
  path?: string
  /** Use `wss:`/`https:`. Defaults to `true` on an `https:` page, else `false`. */
  secure?: boolean
  /** PeerServer key. Defaults to `'peerjs'`. */
  key?: string
  /**
   * STUN/TURN servers for `RTCPeerConnection`. Defaults to `[]`: host candidates only, which is enough
   * on one machine or one LAN. Pass STUN (and TURN) servers for participants on different networks.
   */
  iceServers?: IceServer[]
  /**
   * The room directory's base URL (`GET <directoryUrl>/<meetingId>`). Defaults to
   * `http(s)://<host>:<port>/convene/rooms`, where `@convene/server` serves it.
   */
  directoryUrl?: string
  /**
   * Local media to send to every peer: `{ audio, video }` acquires them with `getUserMedia` when the
   * session starts (and stops those tracks when it ends); a `MediaStream` is sent as is and its tracks
   * are left running, since the app owns them. Defaults to none (data only).
   */
  media?: MediaRequest | LocalMediaStream
  /** Backoff between PeerServer reconnection attempts. Defaults to {@link defaultReconnectPolicy}. */
  reconnect?: ReconnectPolicy
  /**
   * How long a data link may take to open before core hears it is down (`link-down`), so a join does
   * not wait longer for that peer, and the longest one dial may take to open once the other end's answer
   * is in (twice that with no answer: it comes through the PeerServer, seconds late on a loaded
   * machine). The pair is dialled all the same, with fresh dials alongside those in flight, for as long
   * as the session lasts. Defaults to `10000` ms.
   */
  connectTimeoutMs?: number
  /**
   * Longest `drain()` (called as a session closes, after its goodbye) waits for every linked peer to
   * confirm it received what was sent. Defaults to `2000` ms.
   */
  drainTimeoutMs?: number
  /** PeerJS log level, 0 (none) to 3 (all). Defaults to `0`. */
  debug?: 0 | 1 | 2 | 3
}

// Every option by name (see refuseUnknownOptions): `iceServer: [turn]` must not silently drop the TURN server.
const KNOWN_OPTIONS: Record<keyof PeerJSTransportOptions, true> = {
  host: true,
  port: true,
  path: true,
  secure: true,
  key: true,
  iceServers: true,
  directoryUrl: true,
  media: true,
  reconnect: true,
  connectTimeoutMs: true,
  drainTimeoutMs: true,
  debug: true,
}

export interface ResolvedTransportOptions {
  host: string
  port: number
  path: string
  secure: boolean
  key: string
  iceServers: RTCIceServer[]
  directoryUrl: string
  media: MediaRequest | MediaStream | null
  reconnect: (attempt: number) => number | null
  connectTimeoutMs: number
  drainTimeoutMs: number
  debug: 0 | 1 | 2 | 3
}

function fail(option: string, message: string): never {
  throw MeetingError.invalidOption(option, message)
}

function isInteger(value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
}

function isMediaStream(value: unknown): value is MediaStream {
  return typeof value === 'object' && value !== null && typeof (value as MediaStream).getTracks === 'function'
}

function pageLocation(): { hostname: string; port: string; protocol: string } | undefined {
  const location = (globalThis as { location?: { hostname: string; port: string; protocol: string } })
    .location
  return location && typeof location.hostname === 'string' && location.hostname !== '' ? location : undefined
}

function media(value: PeerJSTransportOptions['media']): MediaRequest | MediaStream | null {
  if (value === undefined) return null
  if (isMediaStream(value)) return value
  if (typeof value !== 'object' || value === null)
    fail('media', 'must be `{ audio, video }` or a MediaStream')
  if (value.audio !== undefined && typeof value.audio !== 'boolean')
    fail('media', '`audio` must be a boolean')
  const video = videoRequest(value.video)
  return value.audio || video ? { audio: value.audio === true, video } : null
}

function videoRequest(value: MediaRequest['video']): boolean | VideoRequest {
  if (value === undefined || typeof value === 'boolean') return value === true
  if (typeof value !== 'object' || value === null)
    fail('media', '`video` must be a boolean or `{ width, height, frameRate }`')
  const request: VideoRequest = {}
  for (const key of ['width', 'height', 'frameRate'] as const) {
    const size = value[key]
    if (size === undefined) continue
    if (typeof size !== 'number' || !Number.isFinite(size) || size <= 0)
      fail('media', `\`video.${key}\` must be a number > 0`)
    request[key] = size
  }
  return request
}

function reconnectPolicy(policy: ReconnectPolicy): (attempt: number) => number | null {
  if (typeof policy === 'number') {
    if (!Number.isFinite(policy) || policy < 0) fail('reconnect', 'a fixed delay must be a number of ms >= 0')
    return () => policy
  }
  if (typeof policy !== 'function') fail('reconnect', 'must be a delay in ms or a function')
  return (attempt) => {
    const delay = policy({ attempt })
    return typeof delay === 'number' && Number.isFinite(delay) && delay >= 0 ? delay : null
  }
}

/** Checks every option and fills the defaults; throws `MeetingError('INVALID_OPTION')` on the first bad one. */
export function resolveTransportOptions(options: PeerJSTransportOptions = {}): ResolvedTransportOptions {
  if (typeof options !== 'object' || options === null) fail('options', 'must be an object')
  refuseUnknownOptions(options, KNOWN_OPTIONS)
  const page = pageLocation()
  const secure = options.secure ?? page?.protocol === 'https:'
  if (typeof secure !== 'boolean') fail('secure', 'must be a boolean')
  const host = options.host ?? page?.hostname ?? '127.0.0.1'
  if (typeof host !== 'string' || host.length === 0 || /[/\s]/.test(host)) fail('host', 'must be a host name')
  const pagePort = page ? Number(page.port || (page.protocol === 'https:' ? 443 : 80)) : 9000
  const port = options.port ?? pagePort
  if (!isInteger(port, 1, 65_535)) fail('port', 'must be an integer from 1 to 65535')
  const path = options.path ?? '/peerjs'
  if (typeof path !== 'string' || !path.startsWith('/')) fail('path', 'must start with "/"')
  const key = options.key ?? 'peerjs'
  if (typeof key !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(key))
    fail('key', 'must be 1-64 letters, digits, "_" or "-"')
  const iceServers = options.iceServers ?? []
  if (
    !Array.isArray(iceServers) ||
    !iceServers.every((s) => typeof s === 'object' && s !== null && 'urls' in s)
  ) {
    fail('iceServers', 'must be an array of RTCIceServer objects with `urls`')
  }
  const hostInUrl = host.includes(':') ? `[${host}]` : host
  const directoryUrl =
    options.directoryUrl ?? `${secure ? 'https' : 'http'}://${hostInUrl}:${port}/convene/rooms`
  if (typeof directoryUrl !== 'string' || !/^https?:\/\/[^/\s]+/.test(directoryUrl)) {
    fail('directoryUrl', 'must be an http(s) URL')
  }
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000
  if (!isInteger(connectTimeoutMs, 100)) fail('connectTimeoutMs', 'must be an integer >= 100')
  const drainTimeoutMs = options.drainTimeoutMs ?? 2000
  if (!isInteger(drainTimeoutMs, 0)) fail('drainTimeoutMs', 'must be an integer >= 0')
  const debug = options.debug ?? 0
  if (!isInteger(debug, 0, 3)) fail('debug', 'must be 0, 1, 2 or 3')
  return {
    host,
    port,
    path,
    secure,
    key,
    iceServers,
    directoryUrl: directoryUrl.replace(/\/+$/, ''),
    media: media(options.media),
    reconnect: reconnectPolicy(options.reconnect ?? defaultReconnectPolicy),
    connectTimeoutMs,
    drainTimeoutMs,
    debug,
  }
}
