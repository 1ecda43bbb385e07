import type { Transport } from '../transport.js'

/** Faults applied to `message` deliveries (never to link events). Every draw comes from the network's seed. */
export interface MemoryFaults {
  /** Probability (0..1) that a message is lost. Defaults to `0`. */
  drop?: number
  /** Probability (0..1) that a message arrives twice. Defaults to `0`. */
  duplicate?: number
  /**
   * Latency of each message in whole milliseconds: a fixed value, or `[min, max]` drawn uniformly per
   * message. Defaults to `0` (delivered on the next timer tick).
   */
  delayMs?: number | readonly [number, number]
  /**
   * Whether a message may overtake an earlier one on the same link when delays vary. Defaults to `false`:
   * FIFO per link, like an ordered WebRTC data channel. With `true`, a link-down may also overtake
   * messages still in flight.
   */
  reorder?: boolean
}

/** Where an exception thrown by a transport observer ended up. */
export interface MemoryObserverErrorInfo {
  /** The session whose observer threw. */
  readonly sessionId: string
}

export interface MemoryNetworkOptions {
  /** Seeds every random draw (drop, duplicate, delay), so a run can be replayed exactly. Defaults to `0`. */
  seed?: number
  /**
   * After a crash, tell the crashed sessions' peers `link-down` this many ms later, as a WebRTC stack
   * eventually might. Defaults to never: PeerJS reports a crashed peer late or not at all, and core's
   * heartbeat must cope with that.
   */
  crashLinkDownAfterMs?: number
  /** Faults in force from the start; `setFaults` replaces them. Defaults to none. */
  faults?: MemoryFaults
  /**
   * Called when an observer's `next` throws; delivery to every other observer goes on regardless.
   * Defaults to rethrowing the error in a microtask, so it surfaces as an uncaught error instead of
   * being swallowed.
   */
  onObserverError?: (error: unknown, info: MemoryObserverErrorInfo) => void
  /**
   * Give every session a stand-in local camera and microphone (a `MemoryMediaStream` whose tracks have
   * a `readyState`), reported as `local-media` after `ready`. Its tracks end when core releases the
   * session's local media (`releaseLocalMedia`) or closes the session. They follow `toggleMic` and
   * `toggleWebcam` as a browser transport's do: a muted microphone's track is disabled (`enabled: false`),
   * a camera turned off has its track stopped and dropped, and a new one starts when it is turned back on.
   * Defaults to `false`.
   */
  localMedia?: boolean
}

/** `'disconnected'`: offline after `disconnect()` (or opened while its participant was offline). */
export type MemorySessionState = 'open' | 'disconnected' | 'crashed' | 'closed'

/** One session the memory network opened, as `sessions()` lists it. */
export interface MemorySessionInfo {
  /** The session's id (its address on this network). */
  readonly sessionId: string
  /** Its participant's id. */
  readonly participantId: string
  /** The meeting it is in. */
  readonly meetingId: string
  /** Whether it is open, offline, crashed or closed. */
  readonly state: MemorySessionState
}

/**
 * Message counters, one per recipient (a broadcast to 3 peers counts 3 sends). Once nothing is in
 * flight, `sent + duplicated === delivered + dropped`. Link events and `inject` are not counted.
 */
export interface MemoryNetworkStats {
  /** Messages handed to the network, one per recipient. */
  readonly sent: number
  /** Messages that reached their recipient (extra copies included). */
  readonly delivered: number
  /** Messages lost: to `drop`, a partition, a crash or an offline or closed recipient. */
  readonly dropped: number
  /** Extra copies made by `duplicate`. */
  readonly duplicated: number
}

/**
 * An in-process network: rooms per meeting id, every delivery asynchronous through `setTimeout` (so fake
 * timers drive it), and faults on demand. Participant-level controls act on every live session of that
 * participant id and return how many sessions they affected.
 */
export interface MemoryNetwork {
  /** The `Transport` to hand to `createMeeting`; any number of sessions may go through it. */
  transport(): Transport
  /** The participant's sessions vanish: no goodbye, no link-down (unless `crashLinkDownAfterMs`), sends dropped. */
  crash(participantId: string): number
  /** Closes the participant's tabs: a synchronous `terminating` event (sends made inside it are delivered), then a crash. */
  terminate(participantId: string): number
  /**
   * The participant goes offline: its sessions get `disconnected`, traffic to and from them is dropped
   * (including what was in flight), and nobody else is told. Sessions it opens while offline wait silently.
   */
  disconnect(participantId: string): number
  /** Back online: `reconnected` (or the pending `ready`), then `link-up` both ways with every open session in the room. */
  reconnect(participantId: string): number
  /** Drops messages between participants of different groups, both ways; links stay up. Partitions add up. */
  partition(...groups: ReadonlyArray<readonly string[]>): void
  /** Removes every partition. */
  heal(): void
  /** Replaces the faults in force; `setFaults({})` clears them. Messages already in flight keep their fate. */
  setFaults(faults: MemoryFaults): void
  /**
   * Delivers `data` as-is (no JSON copy, so anything goes) as a `message` event to one session, or to
   * every live session of a participant. A session id wins over a participant id. Returns the number of
   * recipients; throws `INVALID_OPTION` when there is none.
   */
  inject(target: string, data: unknown, fromLinkId?: string): number
  /** Every session ever opened on this network (or in one meeting), in opening order. */
  sessions(meetingId?: string): MemorySessionInfo[]
  /** A fresh copy of the counters at this moment. */
  readonly stats: MemoryNetworkStats
}
