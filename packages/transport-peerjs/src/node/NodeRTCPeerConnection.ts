import { RTCPeerConnection } from 'node-datachannel/polyfill'

/**
 * node-datachannel's `RTCPeerConnection`, made to behave as a browser's does where PeerJS relies on it.
 *
 * - `addIceCandidate` waits for a pending `setRemoteDescription`, as browsers queue it (their
 *   operations chain). node-datachannel rejects a candidate that comes first ("remote candidate
 *   without ICE transport"), and PeerJS replays candidates that outran their offer, so without the
 *   queue some links never connect.
 * - The offerer is the DTLS client. The answerer has the offerer's candidates first, so its ICE
 *   connects first; left to be the client (libdatachannel answers `active`), it sends its ClientHello
 *   before the offerer has a DTLS transport to take it. Browsers keep such an early ClientHello;
 *   libdatachannel drops it, and the handshake waits for the 1 s retransmission: a bimodal link setup
 *   of a few ms or 1 s. Reading a remote offer's `actpass` as `active` makes this side answer `passive`,
 *   a role pair both ends agree on (RFC 5763), so the ClientHello comes from the side that connects last.
 */
export class NodeRTCPeerConnection extends RTCPeerConnection {
  private remoteDescriptionSet!: () => void
  private readonly remoteDescriptionReady = new Promise<void>((resolve) => {
    this.remoteDescriptionSet = resolve
  })

  override async setRemoteDescription(description: RTCSessionDescriptionInit): Promise<void> {
    const { type, sdp } = description
    const offererIsClient =
      type === 'offer' && sdp !== undefined
        ? { type, sdp: sdp.replace(/^a=setup:actpass(\r?)$/gm, 'a=setup:active$1') }
        : description
    await super.setRemoteDescription(offererIsClient)
    this.remoteDescriptionSet()
  }

  override async addIceCandidate(candidate?: RTCIceCandidateInit): Promise<void> {
    await this.remoteDescriptionReady
    await super.addIceCandidate(candidate)
  }
}
