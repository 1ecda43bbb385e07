import { MeetingError, type TransportSessionOptions } from '@convene/core'
import type { DataConnection, MediaConnection, PeerError, Peer as PeerInstance } from 'peerjs'
import { explainRefusal } from './explainRefusal.js'
import { loadPeer, type PeerClass } from './loadPeer.js'
import type { ResolvedTransportOptions } from './options.js'
import { classifyPeerError } from './peerErrors.js'
import { SignallingCredential } from './SignallingCredential.js'

export interface SignallingEvents {
  /** Registered with the PeerServer (first time or after a reconnect). */
  open(): void
  /** The PeerServer connection dropped; reconnection attempts follow if it had ever opened. */
  lost(): void
  connection(conn: DataConnection): void
  call(call: MediaConnection): void
  /** An offer to `remote` found nobody there: its pending connection will not open. */
  unavailable(remote: string): void
  /** Something to tell core. */
  error(error: unknown, fatal: boolean): void
  /** The reconnect policy said stop, after `attempts` failed attempts. */
  gaveUp(attempts: number): void
}

/**
 * This session's PeerJS peer and its connection to the PeerServer: registration under `localId`
 * (with a signed credential when core gives `sign`), and reconnection with the policy's backoff.
 */
export class Signalling {
  /** Created once the credential is signed (at once without one). */
  peer: PeerInstance | null = null
  private readonly credential: SignallingCredential | null
  private everOpened = false
  private attempt = 0
  /** Whether this outage already told core that a token could not be had for the reconnect. */
  private renewalReported = false
  private timer: ReturnType<typeof setTimeout> | undefined
  private closed = false

  constructor(
    private readonly localId: string,
    private readonly options: ResolvedTransportOptions,
    private readonly session: TransportSessionOptions,
    private readonly events: SignallingEvents,
  ) {
    const { sign, token, freshToken } = session
    this.credential = sign ? new SignallingCredential(localId, { sign, token, freshToken }) : null
    Promise.all([loadPeer(), this.credential?.initial()]).then(
      ([Peer, signed]) => this.createPeer(Peer, signed),
      (error: unknown) => {
        if (!this.closed) this.events.error(error, true)
      },
    )
  }

  /**
   * The room directory's request headers: with a signed credential, the token and a single-use proof
   * of possession; else the token alone, when there is one.
   */
  async directoryHeaders(): Promise<Record<string, string>> {
    if (this.credential) return this.credential.directoryHeaders(this.session.meetingId)
    const { token } = this.session
    return token === undefined ? {} : { Authorization: `Bearer ${token}` }
  }

  get isOpen(): boolean {
    return this.peer?.open === true
  }

  close(): void {
    this.closed = true
    clearTimeout(this.timer)
    this.peer?.destroy()
  }

  /** PeerJS reads `token` here and again at each `reconnect()`; without one it picks a random token. */
  private createPeer(Peer: PeerClass, token: string | undefined): void {
    if (this.closed) return
    const missing = missingGlobals()
    if (missing) {
      this.events.error(missing, true)
      return
    }
    const peer = new Peer(this.localId, {
      host: this.options.host,
      port: this.options.port,
      path: this.options.path,
      secure: this.options.secure,
      key: this.options.key,
      config: { iceServers: this.options.iceServers },
      debug: this.options.debug,
      ...(token === undefined ? {} : { token }),
    })
    this.peer = peer
    peer.on('open', () => this.onOpen())
    peer.on('connection', (conn: DataConnection) => this.events.connection(conn))
    peer.on('call', (call: MediaConnection) => this.events.call(call))
    peer.on('disconnected', () => this.onLost())
    peer.on('error', (error: PeerError<string>) => this.onError(error))
  }

  private onOpen(): void {
    if (this.closed) return
    this.everOpened = true
    this.attempt = 0
    this.renewalReported = false
    this.events.open()
  }

  private onLost(): void {
    if (this.closed) return
    this.events.lost()
    if (this.everOpened) this.scheduleReconnect()
  }

  private scheduleReconnect(): void {
    clearTimeout(this.timer)
    if (this.closed) return
    this.attempt += 1
    const delay = this.options.reconnect(this.attempt)
    if (delay === null) this.events.gaveUp(this.attempt - 1)
    else this.timer = setTimeout(() => void this.reconnect(), delay)
  }

  private async reconnect(): Promise<void> {
    const peer = this.peer
    if (this.closed || !peer?.disconnected) return
    if (this.credential) {
      // PeerJS sends `options.token` again on reconnect: give it a fresh token and a new timestamp.
      try {
        peer.options.token = await this.credential.renewed()
      } catch (error) {
        // The token function failed (its backend down too?): this attempt is lost, the next may
        // work. Said once per outage, so the app knows why signalling stays down.
        if (!this.renewalReported && !this.closed) this.events.error(error, false)
        this.renewalReported = true
        this.scheduleReconnect()
        return
      }
      if (this.closed || !peer.disconnected) return
    }
    try {
      peer.reconnect()
    } catch {
      this.scheduleReconnect()
    }
  }

  private onError(error: PeerError<string>): void {
    if (this.closed) return
    const verdict = classifyPeerError(error, this.everOpened)
    if (verdict.kind === 'peer-unavailable') this.events.unavailable(verdict.remote)
    else if (verdict.kind !== 'report') return
    else if (!this.everOpened && error.type === 'network') void this.onClosedBeforeOpen(error)
    else this.events.error(error, verdict.fatal)
  }

  /** PeerJS cannot say why (a refusal looks like a network failure); the room directory can. */
  private async onClosedBeforeOpen(error: PeerError<string>): Promise<void> {
    const credential = this.credential
    const explained = await explainRefusal(
      this.options.directoryUrl,
      this.session.meetingId,
      credential ? () => credential.directoryHeaders(this.session.meetingId) : undefined,
    )
    const closed = `The PeerServer closed the signalling connection before it opened (${error.message})`
    if (!this.closed)
      this.events.error(explained ?? new MeetingError('JOIN_FAILED', closed, { cause: error }), true)
  }
}

/** PeerJS would only say "The current browser does not support WebRTC"; in Node, say what to import. */
function missingGlobals(): MeetingError | null {
  const globals = globalThis as { RTCPeerConnection?: unknown; WebSocket?: unknown; process?: unknown }
  if (typeof globals.RTCPeerConnection === 'function' && typeof globals.WebSocket === 'function') return null
  const hint =
    globals.process === undefined
      ? 'this environment has no RTCPeerConnection or WebSocket'
      : "in Node, import the transport from '@convene/transport-peerjs/node', which installs them (needs node-datachannel and ws)"
  return new MeetingError('JOIN_FAILED', `PeerJS needs WebRTC and WebSocket: ${hint}.`)
}
