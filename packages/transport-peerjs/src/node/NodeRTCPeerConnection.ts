import { RTCPeerConnection } from 'node-datachannel/polyfill'

type DataChannel = ReturnType<RTCPeerConnection['createDataChannel']>

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
 * - `close()` also closes the data channels that never opened, as a browser closes every channel.
 *   node-datachannel never tells a channel that had not opened that its connection closed: it stays
 *   `connecting` for good, and its native callbacks keep the process alive (a Node app cannot exit by
 *   itself) with native state that outlives the connection. PeerJS closes only the peer connection,
 *   often before its channel opens (the losing one of two crossing dials, a dial that timed out).
 */
export class NodeRTCPeerConnection extends RTCPeerConnection {
  private readonly channels = new Set<DataChannel>()
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

  /** Channels it announces (`datachannel`) are open already; only created ones can be left `connecting`. */
  override createDataChannel(label: string, init?: RTCDataChannelInit): DataChannel {
    const channel = super.createDataChannel(label, init)
    this.channels.add(channel)
    channel.addEventListener('close', () => this.channels.delete(channel))
    return channel
  }

  override close(): void {
    // An open channel is closed by its connection; only one that never opened is left behind.
    for (const channel of this.channels) if (channel.readyState === 'connecting') channel.close()
    this.channels.clear()
    super.close()
  }

  override async addIceCandidate(candidate?: RTCIceCandidateInit): Promise<void> {
    await this.remoteDescriptionReady
    await super.addIceCandidate(candidate)
  }
}
