import { MeetingError, type TransportSessionOptions } from '@convene/core'
import { readSignallingPresence } from '@convene/core/wire'
import type { DataConnection, MediaConnection, PeerError, Peer as PeerInstance } from 'peerjs'
import { filter, finalize, map, type Observable, throwError } from 'rxjs'
import { explainRefusal } from './explainRefusal.js'
import { fromEmitter } from './fromEmitter.js'
import type { PeerClass } from './loadPeer.js'
import { loadPeer } from './loadPeer.js'
import { exhaustFlatMap, flatMap, fromPromise, merged, replaceError } from './operators.js'
import type { ResolvedTransportOptions } from './options.js'
import { classifyPeerError } from './peerErrors.js'
import { reconnectUntilOpen } from './reconnect.js'
import { SignallingCredential } from './SignallingCredential.js'
import { endsFromServer, OwnEnd } from './serverEnd.js'
import type { SignallingEvent } from './signallingEvent.js'

/** How often this session pings the signalling server, which tells the room a client gone quiet is gone. */
const SIGNALLING_PING_MS = 2000

/**
 * This session's PeerJS peer and its connection to the PeerServer: registration under `localId`
 * (with a signed credential when core gives `sign`), and reconnection with the policy's backoff.
 * `events` is cold, for one subscriber (the session): subscribing creates the peer, unsubscribing
 * destroys it.
 */
export class Signalling {
  /** Created once the credential is signed (at once without one). */
  peer: PeerInstance | null = null
  readonly events: Observable<SignallingEvent>
  /** This session's own END, also to the server (`serverEnd.ts`). */
  readonly ownEnd: OwnEnd
  private readonly credential: SignallingCredential | null
  private everOpened = false

  constructor(
    private readonly localId: string,
    private readonly options: ResolvedTransportOptions,
    private readonly session: TransportSessionOptions,
  ) {
    const { sign, token, freshToken } = session
    this.credential = sign ? new SignallingCredential(localId, { sign, token, freshToken }) : null
    this.ownEnd = new OwnEnd(session.sessionId, () => (this.peer?.open ? this.peer.socket : null))
    this.events = fromPromise(() => Promise.all([loadPeer(), this.credential?.initial()])).pipe(
      flatMap(([Peer, signed]) => this.run(Peer, signed)),
      replaceError((error): SignallingEvent => ({ type: 'error', error, fatal: true })),
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

  /** PeerJS reads `token` here and again at each `reconnect()`; without one it picks a random token. */
  private run(Peer: PeerClass, token: string | undefined): Observable<SignallingEvent> {
    const missing = missingGlobals()
    // Reported as a fatal error, like any failure to start (see `events`).
    if (missing) return throwError(() => missing)
    const peer = new Peer(this.localId, {
      host: this.options.host,
      port: this.options.port,
      path: this.options.path,
      secure: this.options.secure,
      key: this.options.key,
      config: { iceServers: this.options.iceServers },
      debug: this.options.debug,
      // The server drops a client whose pings stop (`@convene/server`'s `aliveTimeoutMs`, 10 s) and the
      // room hears it is gone: a ping every 2 s leaves a starved tab 8 s of lateness before that.
      pingInterval: SIGNALLING_PING_MS,
      ...(token === undefined ? {} : { token }),
    })
    this.peer = peer
    const lost = fromEmitter(peer, 'disconnected')
    const credential = this.credential
    return merged<SignallingEvent>(
      fromEmitter(peer, 'open').pipe(
        map((): SignallingEvent => {
          this.everOpened = true
          return { type: 'open' }
        }),
      ),
      fromEmitter<DataConnection>(peer, 'connection').pipe(
        map((conn) => ({ type: 'connection', conn }) as const),
      ),
      fromEmitter<MediaConnection>(peer, 'call').pipe(map((call) => ({ type: 'call', call }) as const)),
      fromEmitter<PeerError<string>>(peer, 'error').pipe(flatMap((error) => this.judge(error))),
      lost.pipe(map((): SignallingEvent => ({ type: 'lost' }))),
      this.presence(peer),
      endsFromServer(peer, this.session.meetingId, this.localId),
      // Each outage after the first open is one run of attempts; drops during it are its own failures.
      lost.pipe(
        filter(() => this.everOpened),
        exhaustFlatMap(() =>
          reconnectUntilOpen(peer, this.options.reconnect, credential ? () => credential.renewed() : null),
        ),
      ),
    ).pipe(
      finalize(() => {
        sayLeaving(peer)
        peer.destroy()
      }),
    )
  }

  /**
   * The server's presence lists (`signallingPresence` of `@convene/core/wire`) without this session,
   * read from the peer's socket, which PeerJS keeps across reconnects and which emits every server
   * message, parsed; PeerJS itself drops this type. A malformed list is dropped whole. While this
   * session's own connection is down it cannot know who is connected: `null` then, until the server's
   * snapshot as it registers again.
   */
  private presence(peer: PeerInstance): Observable<SignallingEvent> {
    const { meetingId } = this.session
    return merged<readonly string[] | null>(
      fromEmitter<unknown>(peer.socket, 'message').pipe(
        map((message) => readSignallingPresence(message, meetingId)),
        filter((peers) => peers !== undefined),
        map((peers) => (peers === null ? null : peers.filter((id) => id !== this.localId))),
      ),
      fromEmitter(peer, 'disconnected').pipe(map(() => null)),
    ).pipe(map((peers): SignallingEvent => ({ type: 'presence', peers })))
  }

  /** What a PeerJS error tells the session: at once, or once the room directory says why. */
  private judge(error: PeerError<string>): SignallingEvent[] | Observable<SignallingEvent> {
    const verdict = classifyPeerError(error, this.everOpened)
    if (verdict.kind === 'peer-unavailable') return [{ type: 'unavailable', remote: verdict.remote }]
    if (verdict.kind !== 'report') return []
    if (this.everOpened || error.type !== 'network') return [{ type: 'error', error, fatal: verdict.fatal }]
    // PeerJS cannot say why it closed before opening (a refusal looks like a network failure); the
    // room directory can.
    const credential = this.credential
    const headers = credential ? () => credential.directoryHeaders(this.session.meetingId) : undefined
    return fromPromise(() => explainRefusal(this.options.directoryUrl, this.session.meetingId, headers)).pipe(
      map((explained): SignallingEvent => {
        const closed = `The PeerServer closed the signalling connection before it opened (${error.message})`
        const fallback = new MeetingError('JOIN_FAILED', closed, { cause: error })
        return { type: 'error', error: explained ?? fallback, fatal: true }
      }),
    )
  }
}

/**
 * Tells the PeerServer this peer is leaving (a LEAVE with no `dst`) just before its socket closes:
 * `@convene/server`'s room directory then stops listing it at once, rather than once the close
 * handshake is done, which waits on this app's event loop while it may be starting its next session.
 */
function sayLeaving(peer: PeerInstance): void {
  try {
    if (peer.open) peer.socket.send({ type: 'LEAVE' })
  } catch {
    // The socket is going anyway; its close says the same, later.
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
