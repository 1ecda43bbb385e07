/**
 * `@convene/transport-peerjs/node`: the transport for Node (bots, recorders, tests). Importing it
 * installs WebRTC (node-datachannel) and WebSocket (ws) on `globalThis`; PeerJS itself loads only when
 * the first session starts, so it always finds them. Needs the optional peers `node-datachannel` and
 * `ws`. Everything else is the main entry's.
 */
import { installNodeGlobals } from './node/installNodeGlobals.js'

installNodeGlobals()

export * from './index.js'
