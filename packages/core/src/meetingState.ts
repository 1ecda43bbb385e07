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
