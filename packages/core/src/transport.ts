import type { InteropSubscribable, Subscription, Observer as XStateObserver } from 'xstate'
import type { ParticipantRole } from './participant.js'
import type { Delivery, MediaState, WireMessage } from './protocol.js'

/** An opaque address of one remote session, chosen by the transport. Core never parses it. */
export type LinkId = string

/**
 * A stream of values: anything with a `subscribe(observer)` that returns something to `unsubscribe()`.
 * An RxJS `Observable` is one (RxJS itself is not required), and so is an XState actor. These are
 * XState's own interop types under the names core has always used.
 */
export type Subscribable<T> = InteropSubscribable<T>

/** What a `Subscribable` calls; each callback is optional. XState's `Observer`. */
export type Observer<T> = XStateObserver<T>

/** What `subscribe` returns. XState's `Subscription`. */
export type Unsubscribable = Subscription

/** What a transport tells the meeting. Every field is read by core's validation before use. */
export type TransportEvent =
  /**
   * The session is on the network. `peers` are the links the transport is opening to sessions already
   * in the meeting; the join completes once each of them has said hello or gone down.
   */
  | { type: 'ready'; peers: readonly LinkId[] }
  /**
   * A data link to a remote session is open: messages can flow both ways. It may come for a session that
   * was not in `ready.peers` (it joined meanwhile), and a link that went down may come up again under
   * the same id. Each `link-up` is a new channel: with auth, nothing on it counts until a hello sent
   * on it is verified again.
   *
   * From a transport that attests identity (`Transport.identity: 'transport'`), `peer` says who the
   * session on the link is: core admits it from that record and sends no hello. A `link-up` without
   * one is a channel whose session is not known yet: nothing is admitted on it.
   */
  | { type: 'link-up'; linkId: LinkId; peer?: AttestedPeer }
  /**
   * A data link closed. Not a departure by itself: core's heartbeats decide that, or, for a transport
   * authoritative for presence (`Transport.presence: 'transport'`), its `presence-gone`.
   */
  | { type: 'link-down'; linkId: LinkId }
  /**
   * Only from a transport authoritative for presence (`Transport.presence: 'transport'`; from any other
   * it is refused as malformed): the remote session last heard on `linkId` is gone. Core announces it
   * at most once (`participant-left`, see {@link PresenceGoneReason}), whatever else says the same
   * (its LEAVE, a newer session's hello). A transport emits it only once it is sure: never for a
   * session that comes back within its grace period, and only from a source no participant can forge
   * (a server, over the session's authenticated connection).
   */
  | { type: 'presence-gone'; linkId: LinkId; reason: PresenceGoneReason }
  /**
   * The remote sessions of this meeting whose connection to the signalling server is open, as that
   * server last reported (their `LinkId`s). Each event is the full list and replaces the previous one;
   * `null`: this session cannot tell right now (its own signalling connection is down), and core falls
   * back to silence alone. A transport sends it only from a source no participant can forge: the
   * server, over this session's own connection.
   *
   * Core's departure detector (`Transport.presence: 'core'`) reads it as a second signal besides
   * silence: a session still connected gets a longer silence allowance (`connectedDepartureTimeoutMs`:
   * a starved tab or a link being redialled is not gone), one whose connection closed (a crash, or it
   * left) a shorter one (half of `departureTimeoutMs`), so a crash is found sooner. A session that
   * keeps talking is never declared gone by it. From a transport authoritative for presence
   * (`Transport.presence: 'transport'`) it is ignored: that transport's `presence-gone` decides. A
   * transport that never sends it gets silence alone.
   */
  | { type: 'signalling-presence'; connected: readonly LinkId[] | null }
  /** A message arrived on a link. `data` is untrusted until core validates it. */
  | { type: 'message'; linkId: LinkId; data: unknown }
  /** This session lost the network (signalling or all links); the transport is trying to come back. */
  | { type: 'disconnected' }
  /** This session is back on the network after `disconnected`. */
  | { type: 'reconnected' }
  /** A remote session's media stream arrived or changed (`null` when it ended). */
  | { type: 'media'; linkId: LinkId; stream: unknown }
  /** The local camera/microphone stream the transport acquired (`null` once stopped). */
  | { type: 'local-media'; stream: unknown }
  /**
   * The host environment is going away (page hide, tab close, process exit): core says goodbye with
   * synchronous sends right now, so the others read it as `left`, not `disconnected`.
   */
  | { type: 'terminating' }
  /** A failure the transport could not handle. `fatal` ends the session. */
  | { type: 'error'; error: unknown; fatal: boolean }

/**
 * Why a transport says a remote session is gone, and what the meeting's app is told
 * (`participant-left`'s reason):
 * - `'left'`: it closed its connection on purpose (its LEAVE may have come first) → `'left'`;
 * - `'lost'`: its connection dropped and it did not come back within the transport's grace period
 *   (a crash, a network cut, its server node died) → `'disconnected'`; it may join again later;
 * - `'replaced'`: a newer session of the same participant took its place, as the transport knows it
 *   (a server that keeps one session per participant) → `'disconnected'`, as when core finds the newer
 *   session by its hello first; whichever comes first announces it, once.
 */
export type PresenceGoneReason = 'left' | 'lost' | 'replaced'

/**
 * Who a remote session is, as a transport that attests identity (`Transport.identity: 'transport'`)
 * says on its `link-up`: what a hello would carry, vouched for by the transport instead of signed by
 * the peer. Core takes it as given (with `auth`, only when `verified`).
 */
export interface AttestedPeer {
  /**
   * The participant: its id and role as the transport verified them (with a token, the token's
   * subject and `role` claim; never the peer's say-so), and the display name it gave.
   */
  participant: { id: string; name: string; role: ParticipantRole }
  /** Its session id: the `session` every message it sends carries. */
  session: string
  /** When its session started, by its own clock (as in its hello): on a duplicate id the newest wins. */
  joinedAt: number
  /** Its microphone and camera as last reported. Absent: both on. */
  media?: MediaState
  /**
   * Whether the transport checked a token (and proof of possession) for this session. A meeting with
   * `auth` admits only verified sessions and refuses others with `AUTH_FAILED`.
   */
  verified: boolean
}

/** What core hands a transport when a session starts. */
export interface TransportSessionOptions {
  /** The meeting to join (`createMeeting`'s `meetingId`, 1-128 characters): sessions meet only others of the same one. */
  meetingId: string
  /** This participant's id (`participant.id`, 1-128 characters), the same for each of its sessions. */
  participantId: string
  /** Fresh for every join, so a rejoin never collides with the identity of a dropped session. */
  sessionId: string
  /**
   * The participant's token (when the app uses auth), for servers the transport talks to, such as a room
   * directory. Defaults to none: without `token`, core gives none.
   */
  token?: string
  /**
   * With auth: signs `data` (UTF-8) with this session's private key, the key the token's `cnf.jwk`
   * names, for servers that ask the session to prove it holds its token (`@convene/server`'s PeerServer
   * does). Resolves to the base64url of the raw ECDSA P-256 / SHA-256 signature (64 bytes, r || s).
   * Defaults to none: given only with a token bound to the session's key.
   */
  sign?: (data: string) => Promise<string>
  /**
   * With auth: a token valid for at least another minute, fetched again from the app's token function
   * when the current one is about to expire. For reconnecting to servers that check tokens. Defaults to
   * none: given only with `token`.
   */
  freshToken?: () => Promise<string>
  /**
   * What this session would say in its hello: for a transport that attests identity, to present to
   * its server (which vouches for it to the others). The role is only a claim: with tokens, the
   * server takes the token's. Core always gives it; defaults to none for a caller of its own.
   */
  self?: {
    /** The display name (`participant.name`, else the id). */
    name: string
    /** The role claimed (`participant.role`, else `'participant'`). */
    role: ParticipantRole
    /** When this session started, by its own clock (ms): of two sessions of one participant id, the newer wins. */
    joinedAt: number
    /** The microphone and camera now. */
    media: MediaState
  }
}

/**
 * One participant's session on the network.
 *
 * `events` is cold: subscribing opens the session, unsubscribing closes every link, media call and
 * local track the transport opened. Core unsubscribes exactly once, when the meeting ends; there is
 * no other cleanup path.
 */
export interface TransportSession {
  /** What the transport tells the meeting; subscribing opens the session, unsubscribing closes it (above). */
  readonly events: Subscribable<TransportEvent>
  /**
   * This session's own address: the `LinkId` under which every remote session knows it. With auth,
   * each hello is signed for the pair (sender's address, receiver's address), so a hello captured on
   * one link proves nothing on another. The network must therefore let only this session send or
   * receive under it (PeerJS: the peer id, which `@convene/server` registers only against a proof of
   * possession; memory network: the session id). Required for meetings with `auth`.
   */
  readonly address?: LinkId
  /**
   * Sends to one link, or to every open link when `to` is omitted. Never throws for a closed link.
   * Core always passes `delivery`; a caller that omits it means `'ordered'`.
   */
  send(message: WireMessage, to?: LinkId, delivery?: Delivery): void
  /** Closes the link to one session (a peer that failed verification); it should not be linked again in this session. Optional. */
  closeLink?(linkId: LinkId): void
  /**
   * Core admitted the session on this link: its hello was accepted (and its token verified, with auth).
   * A transport that carries media sends the local stream to a link only after this, so a peer that
   * never proves who it is never sees the camera. Optional.
   */
  admitLink?(linkId: LinkId): void
  /**
   * The local participant is out of the meeting (it left, ended it, or was removed): stop the local
   * camera and microphone now, so their tracks are `ended` by the time the app hears `meeting-left`.
   * Links stay open a little longer to deliver the goodbye, until core unsubscribes. Called at most
   * once per session, always before the unsubscribe. Optional: without it, tracks stop at unsubscribe.
   */
  releaseLocalMedia?(): void
  /**
   * The app turned the local microphone or camera on or off (`toggleMic`, `toggleWebcam`, …); both
   * flags every time. A microphone that is off sends silence and stays open (`track.enabled = false`);
   * a camera that is off should be stopped, so its light goes off, and opened again when turned on
   * (tracks the app provided are only disabled: they are not the transport's to stop). A rejection or
   * throw is reported as a non-fatal `error`; the others are told of the change either way. Optional:
   * without it, only the others are told.
   */
  setLocalMedia?(media: { mic: boolean; webcam: boolean }): void | Promise<void>
  /** Resolves when what was sent so far has left this process (or could not). Optional. */
  drain?(): Promise<void>
}

/** A pluggable network. `@convene/transport-peerjs` and `createMemoryNetwork().transport()` are two. */
export interface Transport {
  /** A short name for logs and errors, such as `'memory'` or `'peerjs'`. */
  readonly name: string
  /**
   * Who decides that a remote session is gone. Defaults to `'core'`.
   *
   * - `'core'`: every session heartbeats every other through the transport (`heartbeatIntervalMs`) and
   *   core's departure detector declares a silent one gone (`departureTimeoutMs`). Right for a mesh,
   *   where nobody else can know; over a server it costs N² messages a heartbeat.
   * - `'transport'`: the transport is authoritative (a server that sees each session's connection):
   *   core sends no heartbeats through it and runs no departure detector, and learns of departures
   *   only from the transport's `presence-gone` events (besides LEAVE, REMOVE and newer sessions'
   *   hellos, which core still handles). Core keeps exactly-once `participant-left`, its reasons,
   *   END/REMOVE obeyed only from a verified host and newest-session-wins; END and REMOVE are then not
   *   passed on by receivers (the server reaches everyone; the origin's resends cover a lost copy), and
   *   a LEAVE is not confirmed (the transport's own word that the leaver is gone reaches everyone).
   *
   * A wrapper around a transport must pass this on.
   */
  readonly presence?: 'core' | 'transport'
  /**
   * Who vouches for each remote session's identity. Defaults to `'hello'`.
   *
   * - `'hello'`: each pair of sessions exchanges hellos (signed for their link, with `auth`), and core
   *   checks each one: right for a mesh, where no one else can. Over a server, a join of N costs
   *   2(N - 1) hellos, and each is signed and verified.
   * - `'transport'`: the transport attests it (a server that verified each session's token and proof
   *   of possession when it connected, and stamps the sender of everything it relays, as LiveKit's
   *   SFU does). Each `link-up` carries an {@link AttestedPeer}; core admits the session from it and
   *   sends no hellos, and refuses any hello a peer sends. The transport must guarantee that the
   *   messages on a link come from the session it attested there; core also refuses a message whose
   *   `session` is not the link's. Core keeps exactly-once `participant-left`, its reasons, END and
   *   REMOVE obeyed only straight from a host (the attested role), and newest-session-wins. The
   *   server is then trusted for who is who (see SECURITY.md).
   *
   * A wrapper around a transport must pass this on.
   */
  readonly identity?: 'hello' | 'transport'
  /**
   * One session for one join: core calls it at each `join()` with a fresh `sessionId`, and opens it by
   * subscribing to its `events` (cold: the network and the devices wait for that subscribe).
   */
  session(options: TransportSessionOptions): TransportSession
}
