import type { DataConnection, MediaConnection } from 'peerjs'

/** What the PeerServer connection tells the session. */
export type SignallingEvent =
  /** Registered with the PeerServer (first time or after a reconnect). */
  | { type: 'open' }
  /** The PeerServer connection dropped; reconnection attempts follow if it had ever opened. */
  | { type: 'lost' }
  /**
   * Which other sessions of this meeting hold an open PeerServer connection, as the server says; `null`
   * when it cannot be told: the server does not list the meeting, or this session's own connection
   * dropped (the server's next list comes as it registers again).
   */
  | { type: 'presence'; peers: readonly string[] | null }
  /** The server passed on `remote`'s own END (`data`, parsed), as if it came on the link to `remote`. */
  | { type: 'ended'; remote: string; data: unknown }
  | { type: 'connection'; conn: DataConnection }
  | { type: 'call'; call: MediaConnection }
  /** An offer to `remote` found nobody there: its pending connection will not open. */
  | { type: 'unavailable'; remote: string }
  /** Something to tell core. */
  | { type: 'error'; error: unknown; fatal: boolean }
  /** The reconnect policy said stop, after `attempts` failed attempts. */
  | { type: 'gave-up'; attempts: number }
