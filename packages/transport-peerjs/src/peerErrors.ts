import type { PeerError } from 'peerjs'

/** PeerJS errors that, before the first `open`, mean this session cannot get on the network. */
const FATAL_BEFORE_OPEN = new Set([
  'browser-incompatible',
  'invalid-id',
  'invalid-key',
  'network',
  'unavailable-id',
  'server-error',
  'socket-error',
  'socket-closed',
  'ssl-unavailable',
])

/** Handled without telling core: signalling drops reconnect, and a WebRTC failure ends its link. */
const HANDLED = new Set(['network', 'webrtc', 'disconnected'])

export type PeerErrorVerdict =
  | { kind: 'peer-unavailable'; remote: string }
  | { kind: 'report'; fatal: boolean }
  | { kind: 'handled' }

/** What a PeerJS error means for the session. */
export function classifyPeerError(error: PeerError<string>, everOpened: boolean): PeerErrorVerdict {
  if (error.type === 'peer-unavailable') {
    // "Could not connect to peer <id>": a directory entry that went stale before our offer got there.
    const remote = /peer (\S+)$/.exec(String(error.message))?.[1]
    return remote ? { kind: 'peer-unavailable', remote } : { kind: 'handled' }
  }
  if (!everOpened && FATAL_BEFORE_OPEN.has(error.type)) return { kind: 'report', fatal: true }
  if (HANDLED.has(error.type)) return { kind: 'handled' }
  return { kind: 'report', fatal: false }
}
