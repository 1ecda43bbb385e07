import type { PublicJwk } from './auth/sessionKey.js'
import type { MeetingError } from './MeetingError.js'
import type { Transport } from './transport.js'

export type ParticipantRole = 'host' | 'participant'

/** Who a participant says they are, before joining. */
export interface ParticipantInfo {
  /** Stable across sessions: the same person rejoining keeps the same id. 1-128 characters. */
  id: string
  /** Display name. Defaults to `id`. */
  name?: string
  /** Defaults to `'participant'`. Hosts may end the meeting for everyone and remove others. */
  role?: ParticipantRole
}

/**
 * How peers' tokens are verified: the public keys that sign them, a JWKS (object, or URL to fetch it)
 * or one ES256 public key (JWK or SPKI PEM).
 */
export type MeetingAuth = (
  | { jwks: { keys: readonly object[] } | string }
  | { publicKey: object | string }
) & {
  /**
   * Accept tokens not bound to a session key (no `cnf.jwk`). Anyone who sees such a token (every peer
   * does, in the holder's hello) can join as its holder, host included. Defaults to `false`.
   */
  allowBearerTokens?: boolean
}

/** What the app's token function is asked for at each join (and again before the token expires). */
export interface TokenRequest {
  meetingId: string
  participantId: string
  role: ParticipantRole
  /**
   * This session's public key. Put it in the token's `cnf.jwk` claim (`@convene/server`'s `createToken`
   * and `POST /token` take it as `publicKey`): peers then accept the token only from this session,
   * which proves it holds the private key by signing each hello.
   */
  publicKey: PublicJwk
}

/** Fetches a token from the app's backend, e.g. `POST /token` of `@convene/server`. */
export type TokenProvider = (request: TokenRequest) => string | Promise<string>

/**
 * What core needs to know of a media stream when the program has no DOM lib (a Node bot, a server):
 * its id and its tracks. Streams are the transport's; core passes them on untouched.
 */
export interface MediaStreamLike {
  readonly id: string
  getTracks(): ReadonlyArray<{ readonly kind: string; stop(): void }>
}

/**
 * A participant's media stream: the DOM's `MediaStream` wherever the program has the DOM lib
 * (browsers, `lib: ["DOM"]`), so it goes into `<video>.srcObject` without a cast; elsewhere
 * {@link MediaStreamLike}, so a Node-only `tsconfig` needs no DOM lib.
 */
export type MeetingMediaStream = typeof globalThis extends { MediaStream: { prototype: infer TStream } }
  ? TStream
  : MediaStreamLike

/** A participant as the meeting sees them. */
export interface Participant {
  readonly id: string
  readonly name: string
  readonly role: ParticipantRole
  /** This join of theirs; a rejoin gets a new one. */
  readonly sessionId: string
  /** Their media stream (a `MediaStream` in browsers) when the transport carries media; otherwise `null`. */
  readonly stream: MeetingMediaStream | null
  /**
   * Whether their microphone is on (VideoSDK's `micOn`): `false` once they muted it, and everyone is
   * told (`participant-media-changed`). Says nothing about whether they have a microphone at all
   * (see `stream`). Starts `true`.
   */
  readonly micOn: boolean
  /** Whether their camera is on (VideoSDK's `webcamOn`), told to everyone as `micOn` is. Starts `true`. */
  readonly webcamOn: boolean
}

/**
 * VideoSDK's meeting states. Before the first join and after the end, the state is `'DISCONNECTED'`.
 * `leave()` and `end()` go straight to `'DISCONNECTED'` (the goodbye is delivered behind the scenes),
 * so `'DISCONNECTING'` is not reported; it stays in the union for code written against it.
 */
export type MeetingState = 'CONNECTING' | 'CONNECTED' | 'RECONNECTING' | 'DISCONNECTING' | 'DISCONNECTED'

/**
 * The statechart's top-level state, as the app sees it. The statechart's `leaving` (goodbyes still being
 * delivered, visible in an inspector) reads as `'ended'`: `meeting-left` has fired by then. `'leaving'`
 * stays in the union for code written against it.
 */
export type MeetingStatus = 'idle' | 'joining' | 'joined' | 'leaving' | 'ended'

/** Why this participant's session ended. */
export type MeetingLeftReason =
  /** `leave()` was called (or the view holding the meeting unmounted). */
  | 'left'
  /** A host, or the last participant, ended the meeting for everyone. */
  | 'ended'
  /** A host removed this participant. */
  | 'removed'
  /** The network was gone for longer than `reconnectTimeoutMs`. */
  | 'connection-lost'
  /** The same participant id joined again elsewhere; the newest session wins. */
  | 'duplicate'

/** Why a remote participant is no longer in the room. */
export type ParticipantLeftReason =
  /** They called `leave()` or closed their page. */
  | 'left'
  /** Nothing heard from them for the departure timeout: crash, killed tab, cable out. */
  | 'disconnected'
  /** A host removed them. */
  | 'removed'

/** Why the session ended without ever joining. */
export type JoinFailureReason = 'cancelled' | 'timeout' | 'transport-error'

/** Every event a `Meeting` emits, with its listener's signature. */
export interface MeetingEventMap {
  'meeting-joined': () => void
  'meeting-left': (info: { reason: MeetingLeftReason }) => void
  'participant-joined': (participant: Participant) => void
  'participant-left': (participant: Participant, info: { reason: ParticipantLeftReason }) => void
  /** A remote participant's `stream`, `micOn` or `webcamOn` changed: once per change, with the updated participant. */
  'participant-media-changed': (participant: Participant) => void
  'meeting-state-changed': (info: { state: MeetingState }) => void
  error: (error: MeetingError) => void
}

export type MeetingEventName = keyof MeetingEventMap

/** Passed to XState's `createActor`; `createBrowserInspector().inspect` from `@statelyai/inspect` fits. */
// biome-ignore lint/suspicious/noExplicitAny: XState's inspection event union is not worth re-exporting
export type InspectOption = ((event: any) => void) | { next?: (event: any) => void }

export interface CreateMeetingOptions {
  /** The room to join. 1-128 characters. Required. */
  meetingId: string
  /** Who joins. Required. */
  participant: ParticipantInfo
  /** The network to meet over. Required. */
  transport: Transport
  /** How often this participant says it is alive. Defaults to `1000` ms. */
  heartbeatIntervalMs?: number
  /**
   * Silence after which a remote participant is declared gone (`participant-left`, reason
   * `'disconnected'`). Never shorter than 3 of that peer's announced heartbeat intervals.
   * Defaults to `3000` ms.
   */
  departureTimeoutMs?: number
  /** How long `join()` waits for the transport to be ready. Defaults to `15000` ms. */
  joinTimeoutMs?: number
  /** How long `leave()`/`end()` wait for peers to confirm the goodbye before closing anyway. Defaults to `1000` ms. */
  leaveTimeoutMs?: number
  /** How long to wait for the network to come back before `meeting-left` with `'connection-lost'`. Defaults to `30000` ms. */
  reconnectTimeoutMs?: number
  /**
   * This participant's token from the app's backend (see `@convene/server`'s `createToken`), sent with
   * every hello. Required when `auth` is set. Defaults to none.
   *
   * Pass a function: it is called at each `join()` with this session's public key to bind the token to
   * (and again when the token is within a minute of expiry), and every hello is signed with that key,
   * so a token seen by others is useless to them. A string is a bearer token, which peers refuse
   * unless their `auth.allowBearerTokens` is set.
   */
  token?: string | TokenProvider
  /**
   * How to verify every other participant's token. With it, nobody joins, ends or removes without a
   * valid token for this meeting, and roles come from tokens. Defaults to none: roles are self-declared,
   * which is for development only (a warning says so once).
   */
  auth?: MeetingAuth
  /** An XState inspector, given to `createActor`. Defaults to none. */
  inspect?: InspectOption
  /** The session id generator; tests pass a deterministic one. Defaults to `crypto.randomUUID`. */
  createSessionId?: () => string
  /** The clock used for `joinedAt` (duplicate resolution). Defaults to `Date.now`. */
  now?: () => number
}

/** The whole state of a meeting at one moment; a new object whenever anything in it changed. */
export interface MeetingSnapshot {
  readonly status: MeetingStatus
  readonly meetingState: MeetingState
  readonly meetingId: string
  readonly localParticipant: Participant
  /** The remote participants, by participant id. */
  readonly participants: ReadonlyMap<string, Participant>
  readonly isHost: boolean
  /** Whether `end()` is allowed now: joined, and host or alone. */
  readonly canEnd: boolean
  /** The local camera/microphone stream, when the transport acquired one; otherwise `null`. */
  readonly localStream: MeetingMediaStream | null
  /** Set once the session is over. */
  readonly endReason: MeetingLeftReason | JoinFailureReason | null
}

/** One participant's view of one meeting. Created by `createMeeting`. */
export interface Meeting {
  readonly meetingId: string
  readonly localParticipant: Participant
  /** The remote participants (not including the local one), by participant id. */
  readonly participants: ReadonlyMap<string, Participant>
  readonly meetingState: MeetingState
  /** The statechart actor of the current session; a new one after each `join()` that follows an end. */
  readonly actor: MeetingActor
  /** Resolves once joined. Rejects with a `MeetingError` on failure or when `leave()` cancels it. */
  join(): Promise<void>
  /** Leaves; others stay. Idempotent; before join a no-op; while joining it cancels the join. */
  leave(): Promise<void>
  /** Ends the meeting for everyone. Rejects `NOT_JOINED` or `END_NOT_ALLOWED` and changes nothing. */
  end(): Promise<void>
  /** Host only: removes a participant for everyone. Rejects `NOT_JOINED`, `REMOVE_NOT_ALLOWED`, `PARTICIPANT_NOT_FOUND`. */
  removeParticipant(participantId: string): Promise<void>
  /**
   * Turns the local microphone off if it is on, on if it is off (VideoSDK's `toggleMic`). Every other
   * participant is told (`participant-media-changed`, `micOn`); the transport sends silence meanwhile
   * (the microphone stays open). Resolves once the change is made; rejects `NOT_JOINED` and changes
   * nothing unless joined.
   */
  toggleMic(): Promise<void>
  /** Turns the microphone off (`micOn: false`); a no-op when already off. Rejects `NOT_JOINED` unless joined. */
  muteMic(): Promise<void>
  /** Turns the microphone on (`micOn: true`); a no-op when already on. Rejects `NOT_JOINED` unless joined. */
  unmuteMic(): Promise<void>
  /**
   * Turns the local camera off if it is on, on if it is off (VideoSDK's `toggleWebcam`). Every other
   * participant is told (`participant-media-changed`, `webcamOn`). A camera the transport opened itself
   * is stopped, so its light goes off, and opened again when turned back on. Rejects `NOT_JOINED` and
   * changes nothing unless joined.
   */
  toggleWebcam(): Promise<void>
  /** Turns the camera off (`webcamOn: false`); a no-op when already off. Rejects `NOT_JOINED` unless joined. */
  disableWebcam(): Promise<void>
  /** Turns the camera on (`webcamOn: true`); a no-op when already on. Rejects `NOT_JOINED` unless joined. */
  enableWebcam(): Promise<void>
  /** Listens to one event; returns the function that stops listening. */
  on<TEvent extends MeetingEventName>(event: TEvent, listener: MeetingEventMap[TEvent]): () => void
  /** The current snapshot; the same object until something changes (fit for `useSyncExternalStore`). */
  getSnapshot(): MeetingSnapshot
  /** Called after every change of the snapshot; returns the function that unsubscribes. */
  subscribe(listener: () => void): () => void
  /** Stops everything at once without a goodbye (use `leave()` to go politely). */
  dispose(): void
}

/** The XState actor of one session of the meeting (`ActorRefFrom<typeof meetingMachine>`). */
export type MeetingActor = import('./meetingMachine.js').MeetingActorRef
