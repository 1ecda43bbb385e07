import type { Delivery, LinkId, TransportEvent, TransportSessionOptions, WireMessage } from '@convene/core'
import { meetingKey, meetingKeyOfPeerId } from '@convene/core/wire'
import type { DataConnection, MediaConnection } from 'peerjs'
import { map, Observable } from 'rxjs'
import { DataLinks } from './DataLinks.js'
import { type EndedSessions, SESSION_OVER } from './endedSessions.js'
import { fetchRoom } from './fetchRoom.js'
import { FlushProbe } from './flushProbe.js'
import { MediaCalls } from './MediaCalls.js'
import { merged } from './operators.js'
import type { ResolvedTransportOptions } from './options.js'
import { pageHide } from './pageHide.js'
import { ReadyGate } from './readyGate.js'
import { Signalling } from './Signalling.js'
import type { SignallingEvent } from './signallingEvent.js'
import { decode, encode } from './wireText.js'

/**
 * One session: a PeerJS peer, its data links and media calls. `events` is cold, for one subscriber:
 * it merges the PeerServer connection's events and the page's `pagehide`, and adds what the links and
 * calls report; unsubscribing closes every link and call, then the peer. It moves messages and media only; who is in the meeting
 * is core's call.
 */
export class PeerJSSession {
  readonly events: Observable<TransportEvent>
  /** Tells the one subscriber of `events` what the links, calls and signalling handlers below report. */
  private readonly gate = new ReadyGate()
  private readonly meetingKey: string
  private readonly signalling: Signalling
  private readonly links: DataLinks
  private readonly media: MediaCalls
  private readonly flush: FlushProbe
  /** Listed in `ready` and neither up nor down yet: each gets exactly one of the two. */
  private readonly awaited = new Set<string>()
  private offline = false
  private closed = false

  constructor(
    /** This session's peer id: its address, the link id every other session knows it by. */
    readonly localId: string,
    private readonly options: ResolvedTransportOptions,
    private readonly session: TransportSessionOptions,
    /** Sessions known to be over, this transport's own earlier ones among them: never dialled nor awaited. */
    private readonly ended: EndedSessions,
  ) {
    this.meetingKey = meetingKey(session.meetingId)
    this.links = new DataLinks(
      this.localId,
      options.connectTimeoutMs,
      {
        up: (remote) => this.linkUp(remote),
        down: (remote, wasUp) => this.linkDown(remote, wasUp),
        message: (remote, data) => {
          if (data === SESSION_OVER) this.links.forget(remote)
          else if (!this.flush.receive(remote, data))
            this.emit({ type: 'message', linkId: remote, data: decode(data) })
        },
      },
      (remote) => this.dial(remote),
      ended,
    )
    this.flush = new FlushProbe((data, to) => this.links.out.send(data, to))
    this.media = new MediaCalls(
      () => this.signalling.peer,
      options.media,
      (e) => this.emit(e),
      () => this.links.upLinks(),
    )
    this.signalling = new Signalling(localId, options, session)
    this.events = new Observable<TransportEvent>((subscriber) => {
      this.gate.subscriber = subscriber
      const pageHidden = pageHide().pipe(map(() => ({ type: 'pagehide' }) as const))
      const inputs = merged<SignallingEvent | { type: 'pagehide' }>(
        this.signalling.events,
        pageHidden,
      ).subscribe({
        next: (input) =>
          input.type === 'pagehide' ? this.emit({ type: 'terminating' }) : this.onSignal(input),
        error: (error: unknown) => subscriber.error(error),
      })
      void this.media.start()
      // Links and calls close first, so none of them reports or redials while the peer goes.
      return () => {
        try {
          this.close()
        } finally {
          inputs.unsubscribe()
        }
      }
    })
  }

  send(message: WireMessage, to?: LinkId, delivery?: Delivery): void {
    if (this.closed) return
    const data = encode(message)
    if (data === undefined) return
    this.links.out.send(data, to, delivery)
    this.signalling.ownEnd.sent(message, data)
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

  /**
   * Resolves once what was sent so far reached every linked peer (each echoed a probe sent after it),
   * or after `drainTimeoutMs`: closing the links earlier could lose the goodbye. Core drains only as
   * the session ends, so each peer is told first that it need not dial this session again.
   */
  async drain(): Promise<void> {
    if (!this.closed) for (const remote of this.links.upLinks()) this.links.out.send(SESSION_OVER, remote)
    const deadline = Date.now() + this.options.drainTimeoutMs
    while (!this.closed && this.links.pending() > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    if (!this.closed) await this.flush.confirm(this.links.upLinks(), deadline - Date.now())
  }

  /** Closes every link and call; the peer itself is destroyed as its events end, just after. */
  private close(): void {
    if (this.closed) return
    this.closed = true
    for (const remote of this.links.upLinks()) this.flush.linkDown(remote)
    this.media.closeAll()
    this.links.closeAll()
  }

  private onSignal(event: SignallingEvent): void {
    if (event.type === 'open') this.onOpen()
    else if (event.type === 'lost') this.updateOnline()
    else if (event.type === 'connection') this.onConnection(event.conn)
    else if (event.type === 'call') this.onCall(event.call)
    else if (event.type === 'unavailable') this.links.failPending(event.remote)
    else if (event.type === 'presence') this.onPresence(event.peers)
    else if (event.type === 'ended') this.emit({ type: 'message', linkId: event.remote, data: event.data })
    else if (event.type === 'error') this.emit(event)
    else {
      const error = new Error(`Gave up reconnecting to the PeerServer after ${event.attempts} attempts`)
      this.emit({ type: 'error', error, fatal: this.links.upCount === 0 })
    }
  }

  /** Core reads the list for departures; the links, to dial afresh a silent pair whose peer is listed. */
  private onPresence(peers: readonly string[] | null): void {
    this.links.silent.presence(peers)
    this.emit({ type: 'signalling-presence', connected: peers })
  }

  private emit(event: TransportEvent): void {
    if (!this.closed) this.gate.tell(event)
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
          if (!this.closed) this.emit({ type: 'error', error, fatal: !this.gate.isReady })
        },
      )
  }

  private onListed(listed: string[]): void {
    if (this.closed) return
    // The directory may still list a session that ended a moment ago (ours, if the app rejoined at once).
    const peers = listed.filter(
      (id) => id !== this.localId && !this.ended.has(id) && meetingKeyOfPeerId(id) === this.meetingKey,
    )
    for (const remote of peers) if (!this.links.has(remote)) this.links.connect(remote)
    if (this.gate.isReady) return
    for (const remote of peers) if (!this.links.isUp(remote)) this.awaited.add(remote)
    this.gate.ready(peers)
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
    this.flush.linkDown(remote)
    if (wasUp || this.awaited.delete(remote)) this.emit({ type: 'link-down', linkId: remote })
    if (wasUp) this.media.linkDown(remote)
    this.updateOnline()
  }

  /** `disconnected` only when this session is really off the network: no signalling and no data link. */
  private updateOnline(): void {
    if (!this.gate.isReady) return
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
