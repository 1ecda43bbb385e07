import type { RelayClientEvents, RelayGone, RelayMember, RelayServerEvents } from '@convene/core/wire'
import type { Logger } from 'pino'
import type { Server, ServerOptions, Socket } from 'socket.io'
import type { MeetingView } from './meetingReads.js'
import type { MemberRecord } from './relayMember.js'
import type { RelayTraffic } from './relayOptions.js'
import type { RelayState } from './relayState.js'
import type { RelayHandshake } from './verifyRelayHandshake.js'

/** What a relay socket carries; Socket.IO keeps it across a recovered reconnect (and in Redis, in a cluster). */
export interface RelayData {
  address: string
  meetingKey: string
  /** What the relay vouches for about this session (its media kept current). */
  member: MemberRecord
  /** Its handshake said it holds the meeting's records from an earlier connection (`RelayHandshakeAuth.returning`). */
  returning: boolean
}

export type RelaySocket = Socket<RelayClientEvents, RelayServerEvents, Record<string, never>, RelayData>
export type RelayServer = Server<RelayClientEvents, RelayServerEvents, Record<string, never>, RelayData>

export interface RelayConfig {
  path: string
  pingIntervalMs: number
  pingTimeoutMs: number
  recoveryMs: number
  failoverGraceMs: number
  corsOrigin: true | string | readonly string[]
  adapter?: ServerOptions['adapter']
  state: RelayState
  check: (auth: unknown) => Promise<RelayHandshake>
  log: Logger
  /** Counted here, read by `ConveneServer.relayTraffic()`. */
  traffic: RelayTraffic
}

/** The relay's parts that admitting a session and announcing its departure need. */
export interface Relay {
  io: RelayServer
  config: RelayConfig
  /** Queues a departure for the meeting's next `peers-left`. */
  tell: (meetingKey: string, departure: RelayGone) => void
  /** Queues an arrival for the meeting's next `peers-joined`. */
  introduce: (meetingKey: string, member: RelayMember) => void
  /**
   * Queues a return (the same session on a new socket) for a `peers-joined` gathered over a longer
   * window: nothing changes for the others but the socket to expect its departure from.
   */
  reintroduce: (meetingKey: string, member: RelayMember) => void
  /** The meeting as a session that connects afresh is welcomed to it (reads shared by concurrent callers). */
  read: (meetingKey: string) => Promise<MeetingView>
  /**
   * Sends `view` as this socket's welcome, in one packet with every other socket given the same view
   * in the same form now; `byRef`: the listed sessions as references (`welcome.refs`).
   */
  welcome: (socket: RelaySocket, view: MeetingView, byRef: boolean) => void
}

export const meetingRoom = (meetingKey: string) => `m:${meetingKey}`
export const addressRoom = (address: string) => `a:${address}`
