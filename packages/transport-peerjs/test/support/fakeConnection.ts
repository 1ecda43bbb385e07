/**
 * A data connection as DataLinks sees it, without WebRTC: PeerJS's events, its peer connection's ICE
 * state, and (when asked for) the negotiated beat channel, whose sends are recorded and whose
 * arrivals the test makes.
 */
import { EventEmitter } from 'node:events'

/** The unreliable beat channel of one fake peer connection. */
export class FakeBeatChannel extends EventTarget {
  readyState: RTCDataChannelState = 'open'
  readonly sent: string[] = []

  send(data: string): void {
    this.sent.push(data)
  }

  /** A beat from the other end arrives on it. */
  arrive(data: string): void {
    this.dispatchEvent(Object.assign(new Event('message'), { data }))
  }
}

export class FakeConnection extends EventEmitter {
  readonly beat: FakeBeatChannel | undefined
  readonly peerConnection: EventTarget & {
    iceConnectionState: RTCIceConnectionState
    connectionState: RTCPeerConnectionState
    createDataChannel(): FakeBeatChannel
  }
  /** What was sent on its reliable channel. */
  readonly sent: unknown[] = []
  closed = false

  constructor(
    readonly peer: string,
    readonly connectionId: string,
    { beatChannel = false }: { beatChannel?: boolean } = {},
  ) {
    super()
    this.beat = beatChannel ? new FakeBeatChannel() : undefined
    const beat = this.beat
    this.peerConnection = Object.assign(new EventTarget(), {
      iceConnectionState: 'new' as RTCIceConnectionState,
      connectionState: 'new' as RTCPeerConnectionState,
      createDataChannel: () => {
        if (!beat) throw new Error('no negotiated channels here')
        return beat
      },
    })
  }

  iceConnected(): void {
    this.peerConnection.iceConnectionState = 'connected'
    this.peerConnection.dispatchEvent(new Event('iceconnectionstatechange'))
  }

  send(data: unknown): void {
    if (this.closed) throw new Error('closed')
    this.sent.push(data)
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    if (this.beat) this.beat.readyState = 'closed'
    this.emit('close')
  }
}
