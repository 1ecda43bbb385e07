import type { LinkId, Observer, TransportEvent, TransportSessionOptions, WireMessage } from '@convene/core'
import type { DataConnection, MediaConnection } from 'peerjs'
import { DataLinks } from './DataLinks.js'
import { fetchRoom } from './fetchRoom.js'
import { MediaCalls } from './MediaCalls.js'
import type { ResolvedTransportOptions } from './options.js'
import { hexOf, meetingKeyOfPeerId } from './peerId.js'
import { Signalling } from './Signalling.js'
import { decode, encode } from './wireText.js'

/** Link events wait for `ready`, so core always hears `ready` first. */
const AFTER_READY = new Set<TransportEvent['type']>(['link-up', 'link-down', 'message', 'media'])

/**
 * One open session: a PeerJS peer, its data links and media calls. Lives from `events.subscribe()` to
 * the matching `unsubscribe()`. It moves messages and media only; who is in the meeting is core's call.
 */
export class PeerJSSession {
  private readonly meetingKey: string
  private readonly signalling: Signalling
  private readonly links: DataLinks
  private readonly media: MediaCalls
  private ready = false
  private readonly beforeReady: TransportEvent[] = []
  /** Listed in `ready` and neither up nor down yet: each gets exactly one of the two. */
  private readonly awaited = new Set<string>()
  private offline = false
  private closed = false

  constructor(
    /** This session's peer id: its address, the link id every other session knows it by. */
    readonly localId: string,
    private readonly options: ResolvedTransportOptions,
    private readonly session: TransportSessionOptions,
    private readonly observer: Observer<TransportEvent>,
  ) {
    this.meetingKey = hexOf(session.meetingId)
    this.links = new DataLinks(
      this.localId,
      options.connectTimeoutMs,
      {
        up: (remote) => this.linkUp(remote),
        down: (remote, wasUp) => this.linkDown(remote, wasUp),
        message: (remote, data) => this.emit({ type: 'message', linkId: remote, data: decode(data) }),
      },
      (remote) => this.dial(remote),
    )
    this.media = new MediaCalls(
      () => this.signalling.peer,
      options.media,
      (e) => this.emit(e),
      () => this.links.upLinks(),
    )
    this.signalling = new Signalling(localId, options, session, {
      open: () => this.onOpen(),
      lost: () => this.updateOnline(),
      connection: (conn) => this.onConnection(conn),
      call: (call) => this.onCall(call),
      unavailable: (remote) => this.links.failPending(remote),
      error: (error, fatal) => this.emit({ type: 'error', error, fatal }),
      gaveUp: (attempts) => {
        const error = new Error(`Gave up reconnecting to the PeerServer after ${attempts} attempts`)
        this.emit({ type: 'error', error, fatal: this.links.upCount === 0 })
      },
    })
    globalThis.addEventListener?.('pagehide', this.onPageHide)
    void this.media.start()
  }

  send(message: WireMessage, to?: LinkId): void {
    if (this.closed) return
    const data = encode(message)
    if (data !== undefined) this.links.send(data, to)
  }

  closeLink(linkId: LinkId): void {
    if (this.closed) return
    this.media.forget(linkId)
    this.links.close(linkId)
  }

  /** Core accepted this peer's hello (and token): our camera may go to it now, not before. */
  admitLink(linkId: LinkId): void {
    if (!this.closed) this.media.admit(linkId)
  }

  /** The app turned its microphone or camera on or off. */
  setLocalMedia(media: { mic: boolean; webcam: boolean }): Promise<void> {
    return this.closed ? Promise.resolve() : this.media.setLocal(media)
  }

  /** Core is out of the meeting: the camera light goes off now, calls end next; data links stay for the goodbye. */
  releaseLocalMedia(): void {
    if (this.closed) return
    this.media.stopLocal()
    // Closing peer connections takes the page tens of ms each: not before the app hears meeting-left.
    setTimeout(() => this.media.closeAll(), 0)
  }

  async drain(): Promise<void> {
    const deadline = Date.now() + this.options.drainTimeoutMs
    while (!this.closed && this.links.pending() > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    globalThis.removeEventListener?.('pagehide', this.onPageHide)
    this.media.closeAll()
    this.links.closeAll()
    this.signalling.close()
  }

  private readonly onPageHide = (): void => {
    this.emit({ type: 'terminating' })
  }

  private emit(event: TransportEvent): void {
    if (this.closed) return
    if (!this.ready && AFTER_READY.has(event.type)) {
      this.beforeReady.push(event)
      return
    }
    this.observer.next?.(event)
  }

  private onOpen(): void {
    if (this.closed) return
    this.updateOnline()
    this.media.retry()
    // Listing after registering means that of two peers joining at once, at least one sees the other.
    // After a reconnect, listing again finds whoever joined while this peer was off the PeerServer.
    this.signalling
      .directoryHeaders()
      .then((headers) => fetchRoom(this.options.directoryUrl, this.session.meetingId, headers))
      .then(
        (listed) => this.onListed(listed),
        (error: unknown) => {
          if (!this.closed) this.emit({ type: 'error', error, fatal: !this.ready })
        },
      )
  }

  private onListed(listed: string[]): void {
    if (this.closed) return
    const peers = listed.filter((id) => id !== this.localId && meetingKeyOfPeerId(id) === this.meetingKey)
    for (const remote of peers) if (!this.links.has(remote)) this.links.connect(remote)
    if (this.ready) return
    this.ready = true
    for (const remote of peers) if (!this.links.isUp(remote)) this.awaited.add(remote)
    this.observer.next?.({ type: 'ready', peers })
    for (const event of this.beforeReady.splice(0)) this.observer.next?.(event)
    // A listed peer we could not even dial is down right away, so the join does not wait for it.
    for (const remote of peers) if (!this.links.has(remote)) this.linkDown(remote, false)
    this.updateOnline()
  }

  private dial(remote: string): DataConnection | undefined {
    const peer = this.signalling.peer
    if (this.closed || !peer || !this.signalling.isOpen) return undefined
    // JSON text over a reliable channel, encoded here: PeerJS's own JSON mode would throw on bad input.
    return peer.connect(remote, { reliable: true, serialization: 'raw' }) as DataConnection | undefined
  }

  private onConnection(conn: DataConnection): void {
    if (this.closed || meetingKeyOfPeerId(conn.peer) !== this.meetingKey) {
      setTimeout(() => conn.close(), 0)
      return
    }
    this.links.adopt(conn, conn.peer)
  }

  private onCall(call: MediaConnection): void {
    if (this.closed || meetingKeyOfPeerId(call.peer) !== this.meetingKey) {
      setTimeout(() => call.close(), 0)
      return
    }
    this.media.answer(call)
  }

  private linkUp(remote: string): void {
    this.awaited.delete(remote)
    this.emit({ type: 'link-up', linkId: remote })
    this.media.linkUp(remote)
    this.updateOnline()
  }

  private linkDown(remote: string, wasUp: boolean): void {
    if (wasUp || this.awaited.delete(remote)) this.emit({ type: 'link-down', linkId: remote })
    if (wasUp) this.media.linkDown(remote)
    this.updateOnline()
  }

  /** `disconnected` only when this session is really off the network: no signalling and no data link. */
  private updateOnline(): void {
    if (!this.ready) return
    const online = this.signalling.isOpen || this.links.upCount > 0
    if (!online && !this.offline) {
      this.offline = true
      this.emit({ type: 'disconnected' })
    } else if (online && this.offline) {
      this.offline = false
      this.emit({ type: 'reconnected' })
    }
  }
}
