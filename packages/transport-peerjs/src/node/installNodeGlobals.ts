import * as polyfill from 'node-datachannel/polyfill'
import { NodeRTCPeerConnection } from './NodeRTCPeerConnection.js'
import { NodeWebSocket } from './NodeWebSocket.js'

/**
 * Puts on `globalThis` what PeerJS expects from a browser: `RTCPeerConnection` and friends from
 * node-datachannel, and a `WebSocket` from `ws`. A global that already exists (Node 22's own
 * `WebSocket`, another WebRTC implementation the app installed) is left alone. Idempotent.
 */
export function installNodeGlobals(): void {
  const globals = globalThis as Record<string, unknown>
  const provided: Record<string, unknown> = {
    ...polyfill,
    RTCPeerConnection: NodeRTCPeerConnection,
    WebSocket: NodeWebSocket,
  }
  for (const [name, value] of Object.entries(provided)) {
    if (typeof value === 'function' && globals[name] === undefined) globals[name] = value
  }
}
