/**
 * Node's WebRTC and WebSocket for PeerJS, from the shipped entry (`@convene/transport-peerjs/node`),
 * plus what only tests want: loopback-only peer connections, and a count of the connected ones.
 */
import '../../src/node.js'

const live = new Set<{ readonly connectionState: string }>()

/** How many peer connections of this process are connected right now (both ends count when local). */
export function connectedPeerConnections(): number {
  return [...live].filter((pc) => pc.connectionState === 'connected').length
}

const globals = globalThis as unknown as { RTCPeerConnection: typeof RTCPeerConnection }
const Shipped = globals.RTCPeerConnection

class TestRTCPeerConnection extends Shipped {
  constructor(config?: RTCConfiguration) {
    // Loopback only: tests stay on this machine, and fewer candidate pairs means faster, steadier ICE.
    // CONVENE_BIND_ADDRESS picks another address (the lossy-network test runs in a namespace of its own).
    const bindAddress = process.env.CONVENE_BIND_ADDRESS ?? '127.0.0.1'
    super({ ...config, bindAddress } as RTCConfiguration)
    live.add(this)
    this.addEventListener('connectionstatechange', () => {
      if (this.connectionState === 'closed' || this.connectionState === 'failed') live.delete(this)
    })
  }
}
globals.RTCPeerConnection = TestRTCPeerConnection
