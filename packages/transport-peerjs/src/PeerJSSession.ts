import type { LinkId, Observer, TransportEvent, TransportSessionOptions, WireMessage } from '@convene/core'
import type { DataConnection, MediaConnection, PeerError, Peer as PeerInstance } from 'peerjs'
import { DataLinks } from './DataLinks.js'
import { fetchRoom } from './fetchRoom.js'
import { Peer } from './loadPeer.js'
import { MediaCalls } from './MediaCalls.js'
import type { ResolvedTransportOptions } from './options.js'
import { classifyPeerError } from './peerErrors.js'
import { createPeerId, hexOf, meetingKeyOfPeerId } from './peerId.js'
import { decode, encode } from './wireText.js'

/** Link events wait for `ready`, so core always hears `ready` first. */
const AFTER_READY = new Set<TransportEvent['type']>(['link-up', 'link-down', 'message', 'media'])

/**
 * One open session: a PeerJS peer, its data links and media calls. Lives from `events.subscribe()` to
 * the matching `unsubscribe()`. It moves messages and media only; who is in the meeting is core's call.
 */
export class PeerJSSession {
  readonly localId: string
  private readonly meetingKey: string
  private readonly peer: PeerInstance
  private readonly links: DataLinks
  private readonly media: MediaCalls
  private ready = false
  private readonly beforeReady: TransportEvent[] = []
  /** Listed in `ready` and neither up nor down yet: each gets exactly one of the two. */
  private readonly awaited = new Set<string>()
  private signalling = false
  private everOpened = false
  private offline = false
  private reconnectAttempt = 0
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined
  private closed = false

  constructor(
    private readonly options: ResolvedTransportOptions,
    private readonly session: TransportSessionOptions,
    private readonly observer: Observer<TransportEvent>,
  ) {
    this.localId = createPeerId(session.meetingId, session.participantId, session.sessionId)
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
    this.peer = new Peer(this.localId, {
      host: options.host,
      port: options.port,
      path: options.path,
      secure: options.secure,
      key: options.key,
      config: { iceServers: options.iceServers },
      debug: options.debug,
    })
    this.media = new MediaCalls(
      this.peer,
      options.media,
      (e) => this.emit(e),
      () => this.links.upLinks(),
    )
    this.peer.on('open', () => this.onOpen())
    this.peer.on('connection', (conn: DataConnection) => this.onConnection(conn))
    this.peer.on('call', (call: MediaConnection) => this.onCall(call))
    this.peer.on('disconnected', () => this.onSignallingLost())
    this.peer.on('error', (error: PeerError<string>) => this.onError(error))
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

  async drain(): Promise<void> {
    const deadline = Date.now() + this.options.drainTimeoutMs
    while (!this.closed && this.links.pending() > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    clearTimeout(this.reconnectTimer)
    globalThis.removeEventListener?.('pagehide', this.onPageHide)
    this.media.closeAll()
    this.links.closeAll()
    this.peer.destroy()
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
    this.signalling = true
    this.everOpened = true
    this.reconnectAttempt = 0
    this.updateOnline()
    this.media.retry()
    // Listing after registering means that of two peers joining at once, at least one sees the other.
    // After a reconnect, listing again finds whoever joined while this peer was off the PeerServer.
    fetchRoom(this.options.directoryUrl, this.session.meetingId, this.session.token).then(
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
    if (this.closed || !this.signalling) return undefined
    // JSON text over a reliable channel, encoded here: PeerJS's own JSON mode would throw on bad input.
    return this.peer.connect(remote, { reliable: true, serialization: 'raw' }) as DataConnection | undefined
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

  private onSignallingLost(): void {
    if (this.closed) return
    this.signalling = false
    this.updateOnline()
    if (this.everOpened) this.scheduleReconnect()
  }

  private scheduleReconnect(): void {
    clearTimeout(this.reconnectTimer)
    this.reconnectAttempt += 1
    const delay = this.options.reconnect(this.reconnectAttempt)
    if (delay === null) {
      const error = new Error(
        `Gave up reconnecting to the PeerServer after ${this.reconnectAttempt - 1} attempts`,
      )
      this.emit({ type: 'error', error, fatal: this.links.upCount === 0 })
      return
    }
    this.reconnectTimer = setTimeout(() => {
      if (this.closed || !this.peer.disconnected) return
      try {
        this.peer.reconnect()
      } catch {
        this.scheduleReconnect()
      }
    }, delay)
  }

  private onError(error: PeerError<string>): void {
    if (this.closed) return
    const verdict = classifyPeerError(error, this.everOpened)
    if (verdict.kind === 'peer-unavailable') this.links.failPending(verdict.remote)
    else if (verdict.kind === 'report') this.emit({ type: 'error', error, fatal: verdict.fatal })
  }

  /** `disconnected` only when this session is really off the network: no signalling and no data link. */
  private updateOnline(): void {
    if (!this.ready) return
    const online = this.signalling || this.links.upCount > 0
    if (!online && !this.offline) {
      this.offline = true
      this.emit({ type: 'disconnected' })
    } else if (online && this.offline) {
      this.offline = false
      this.emit({ type: 'reconnected' })
    }
  }
}
