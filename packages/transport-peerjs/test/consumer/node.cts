// The CommonJS side of the same check.

import { createPeerJSTransport as browserEntry } from '@convene/transport-peerjs'
import { createPeerJSTransport } from '@convene/transport-peerjs/node'

export const transports = [createPeerJSTransport({ port: 9000 }), browserEntry({ iceServers: [] })]
