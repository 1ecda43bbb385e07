/** What bench/scale.ts and its participant groups (bench/scale/participants.ts) say to each other over IPC. */

export type GroupTransport = { kind: 'socketio'; urls: string[] } | { kind: 'peerjs'; port: number }

export interface GroupConfig {
  meetingId: string
  /** `firstUrl`: which of the transport's `urls` the participant tries first (then the others in turn). */
  participants: Array<{ id: string; role: 'host' | 'participant'; firstUrl?: number }>
  transport: GroupTransport
  /** The server's token endpoint and JWKS: every hello signed and verified. `null`: no auth. */
  auth: { tokenUrl: string; jwksUrl: string } | null
  /** Passed to createMeeting (the bench uses core's defaults, except a join timeout long enough to measure). */
  timing: { joinTimeoutMs?: number }
}

export type Command =
  /** `perSecond`: this group's join pace (0 or absent: as fast as `concurrency` allows). */
  | { cmd: 'join'; ids?: string[]; concurrency: number; perSecond?: number }
  | { cmd: 'leave'; id: string }
  | { cmd: 'end'; id: string }
  /** From now on, record when each participant's roster first holds `size` others. */
  | { cmd: 'target'; size: number }
  | { cmd: 'joins' }
  /** What each participant was told about departures at or after `since` (wall clock). */
  | { cmd: 'departures'; since?: number }
  | { cmd: 'ended'; since?: number }
  | { cmd: 'states'; since: number }
  /** With `BENCH_SCALE_TRACE=1`: each participant's transport events since `since` (see failoverTrace.ts). */
  | { cmd: 'trace'; since: number }
  /** With `BENCH_SCALE_TRACE=1`: LEAVEs handed over, departures handed over and told in [since, until). */
  | { cmd: 'leave-trace'; since: number; until: number }
  | { cmd: 'counters' }
  /** Exits cleanly (a `--cpu-prof` profile is written only then). */
  | { cmd: 'exit' }

/** Per participant: `join()` called, `join()` resolved, the roster first full (wall clock, ms). */
export interface JoinTimes {
  id: string
  started: number | null
  joined: number | null
  full: number | null
  /** The last failed attempt's error (`null` once joined). */
  error: string | null
  /** Attempts that failed (the group tries up to 5 times). */
  failures: number
  /** How many others the participant's roster holds now. */
  roster: number
}

/** Everything the participants of one group were told about one departed participant. */
export interface Departure {
  subject: string
  /** Observers told, by reason (an observer told twice counts twice). */
  reasons: Record<string, number>
  /** Observers told more than once. */
  repeated: number
  first: number
  last: number
}

export interface Counters {
  /** Messages the meetings handed the transport (to one session, to the whole meeting). */
  sentToOne: number
  sentToAll: number
  /** Messages the transport delivered to the meetings. */
  received: number
  /** This process's CPU (user + system), µs. */
  cpuMicros: number
  /**
   * The event loop's delay since the previous `counters` (ms, p99 and max): how late this process
   * answers anything, the relay's pings included. Past the relay's ping timeout, the machine (these
   * processes' share of its cores), not the product, is dropping sockets.
   */
  loopDelay: { p99: number; max: number }
  errors: Record<string, number>
  /** The first few messages of each error code. */
  samples: Record<string, string[]>
}

/** Per participant, after `since`: the transport's first `disconnected`, first `reconnected`, links told. */
export interface TraceEntry {
  id: string
  disconnected: number | null
  reconnected: number | null
  linkUps: number
  linkDowns: number
}

/** Per participant, after `since`: first RECONNECTING, first CONNECTED after it. */
export interface Recovery {
  id: string
  down: number | null
  back: number | null
}

export interface Reply {
  seq: number
  ok: boolean
  error?: string
  at: number
  [key: string]: unknown
}
