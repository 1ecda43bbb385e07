import { RTCPeerConnection } from 'node-datachannel/polyfill'

/**
 * node-datachannel's `RTCPeerConnection`, with `addIceCandidate` queued behind a pending
 * `setRemoteDescription` as browsers queue it (their operations chain). node-datachannel rejects a
 * candidate that comes first ("remote candidate without ICE transport"), and PeerJS relies on the
 * queue: it replays candidates that outran their offer. Without it, some links never connect.
 */
export class NodeRTCPeerConnection extends RTCPeerConnection {
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
