/**
 * Gives Node what PeerJS expects from a browser. Import this before anything imports `peerjs`: PeerJS
 * probes for WebRTC support when it loads.
 */
import * as polyfill from 'node-datachannel/polyfill'
import WebSocket from 'ws'

const globals = globalThis as Record<string, unknown>
for (const [name, value] of Object.entries(polyfill)) {
  if (typeof value === 'function' && globals[name] === undefined) globals[name] = value
}

/**
 * Browsers queue `addIceCandidate` behind a pending `setRemoteDescription` (the operations chain);
 * node-datachannel rejects it ("remote candidate without ICE transport"). PeerJS relies on the queue:
 * it replays candidates that outran their offer, and node-datachannel gathers fast enough for that to
 * happen, which would leave some links unable to connect.
 */
const live = new Set<{ readonly connectionState: string }>()

/** How many peer connections of this process are connected right now (both ends count when local). */
export function connectedPeerConnections(): number {
  return [...live].filter((pc) => pc.connectionState === 'connected').length
}

class ChainedRTCPeerConnection extends polyfill.RTCPeerConnection {
  constructor(config?: RTCConfiguration) {
    // Loopback only: tests stay on this machine, and fewer candidate pairs means faster, steadier ICE.
    super({ ...config, bindAddress: '127.0.0.1' } as RTCConfiguration)
    live.add(this)
    this.addEventListener('connectionstatechange', () => {
      if (this.connectionState === 'closed' || this.connectionState === 'failed') live.delete(this)
    })
  }

  private remoteDescriptionSet!: () => void
  private readonly remoteDescriptionReady = new Promise<void>((resolve) => {
    this.remoteDescriptionSet = resolve
  })

  override async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    await super.setRemoteDescription(description)
    this.remoteDescriptionSet()
  }

  override async addIceCandidate(candidate?: RTCIceCandidateInit): Promise<void> {
    await this.remoteDescriptionReady
    await super.addIceCandidate(candidate)
  }
}
globals.RTCPeerConnection = ChainedRTCPeerConnection

/** `ws` throws an unhandled 'error' when a connection is refused; browsers only fire `onclose`. */
class BrowserLikeWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args)
    this.on('error', () => {})
  }
}
globals.WebSocket = BrowserLikeWebSocket
