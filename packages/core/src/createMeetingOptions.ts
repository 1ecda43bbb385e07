import type { MeetingAuth, TokenProvider } from './meetingAuth.js'
import type { ParticipantInfo } from './participant.js'
import type { Transport } from './transport.js'

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
  /**
   * The silence allowed a remote participant whose connection to the signalling server is still open,
   * as the server reports it (a transport's `signalling-presence`; PeerJS over `@convene/server`): a tab
   * starved of CPU, or whose WebRTC link is stuck or being redialled, stays in the meeting this long.
   * One whose connection closed is declared gone after half of `departureTimeoutMs` of silence
   * instead, so a crash is found sooner; a frozen, suspended or cut-off client stops pinging the server,
   * which closes its connection after its own liveness timeout (`@convene/server`'s `aliveTimeoutMs`,
   * 10 s), so this bound is only a backstop. Over a transport that sends no such report,
   * `departureTimeoutMs` alone applies. At least `departureTimeoutMs` (a smaller value is refused with
   * `INVALID_OPTION`); equal to it, only the faster crash detection remains. Defaults to `30000` ms, or
   * `departureTimeoutMs` when that is longer.
   */
  connectedDepartureTimeoutMs?: number
  /** How long `join()` waits for the transport to be ready. Defaults to `15000` ms. */
  joinTimeoutMs?: number
  /**
   * How long a goodbye is delivered behind the scenes after `leave()`, `end()` or `dispose()` (and,
   * after a host's `end()`, how long each other participant stays linked until everyone has the END):
   * resent until each peer confirms it (0.25 s after the first copy, each wait then doubling up to one
   * heartbeat interval, 1 s at most), then the links close. The app is out at once whatever this is
   * (`meeting-left` fires and the camera and microphone stop in the call); a `join()` meanwhile waits
   * for it 1 s at most. A starved browser's WebRTC links can deliver seconds late, and what a link
   * still holds when it closes is lost. Defaults to `10000` ms.
   */
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
  /**
   * The session id generator; tests pass a deterministic one. Defaults to `crypto.randomUUID`.
   *
   * Called once by `createMeeting` (the first session) and again by each `join()` that starts a new
   * session. It must return 1-128 characters: otherwise, or if it throws, `createMeeting` throws, or
   * that `join()` rejects, with a `MeetingError` `INVALID_OPTION` (`details.option`, the thrown error as
   * `cause`). A rejected `join()` changes nothing: the meeting stays out, and a later `join()` calls it
   * again.
   */
  createSessionId?: () => string
  /**
   * The clock used for `joinedAt` (duplicate resolution), in milliseconds >= 0. Defaults to `Date.now`.
   * Called when `createSessionId` is, and fails the same way.
   */
  now?: () => number
}
