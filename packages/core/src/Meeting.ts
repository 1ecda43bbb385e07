import type { MeetingEventMap, MeetingEventName } from './meetingEvents.js'
import type { MeetingActor } from './meetingMachineTypes.js'
import type { JoinFailureReason, MeetingLeftReason, MeetingState, MeetingStatus } from './meetingState.js'
import type { MeetingMediaStream, Participant } from './participant.js'

/** The whole state of a meeting at one moment; a new object whenever anything in it changed. */
export interface MeetingSnapshot {
  /**
   * Where this participant is: `'idle'` (before the first join), `'joining'`, `'joined'` (reconnecting
   * included) or `'ended'` (left, ended, removed, failed to join, or disposed).
   */
  readonly status: MeetingStatus
  /** VideoSDK's connection state: `'CONNECTING'`, `'CONNECTED'`, `'RECONNECTING'` or `'DISCONNECTED'`. */
  readonly meetingState: MeetingState
  /** The meeting's id, as given to `createMeeting`. */
  readonly meetingId: string
  /** This participant, with this session's id, its stream and its `micOn` / `webcamOn`. */
  readonly localParticipant: Participant
  /** The remote participants, by participant id. */
  readonly participants: ReadonlyMap<string, Participant>
  /** Whether this participant's role is `'host'` (verified by the token, with `auth`). */
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
  /** The meeting's id, as given to `createMeeting`. */
  readonly meetingId: string
  /** This participant, as in `getSnapshot().localParticipant`. */
  readonly localParticipant: Participant
  /** The remote participants (not including the local one), by participant id. */
  readonly participants: ReadonlyMap<string, Participant>
  /** The connection state, as in `getSnapshot().meetingState`; each change fires `meeting-state-changed`. */
  readonly meetingState: MeetingState
  /**
   * The meeting's statechart actor: the same object for the meeting's whole life (each `join()` starts a
   * new session inside it), so `useSelector(meeting.actor, …)` and an inspector never go stale.
   */
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
  /**
   * Listens to one event; returns the function that stops listening. Throws `INVALID_OPTION` for an
   * event name that does not exist or a listener that is not a function.
   */
  on<TEvent extends MeetingEventName>(event: TEvent, listener: MeetingEventMap[TEvent]): () => void
  /** The current snapshot; the same object until something changes (fit for `useSyncExternalStore`). */
  getSnapshot(): MeetingSnapshot
  /** Called after every change of the snapshot; returns the function that unsubscribes. Throws `INVALID_OPTION` for a listener that is not a function. */
  subscribe(listener: () => void): () => void
  /**
   * Leaves, if in a session, and releases the meeting for good; returns at once. Like Daily's
   * `destroy()` and LiveKit's `disconnect()`, disposing of a joined meeting leaves it:
   * - the app gets `meeting-left({ reason: 'left' })` in this call (every joined session ends with one
   *   `meeting-left`, so cleanup written for it runs), the camera and microphone stop, and the snapshot
   *   reads `status: 'ended'`, `endReason: 'left'`, `canEnd: false`, `meetingState: 'DISCONNECTED'` and an
   *   empty roster from then on;
   * - every other participant is told `participant-left(me, { reason: 'left' })` once: the goodbye is
   *   delivered behind the scenes as after `leave()`, resent until confirmed, and the statechart actor
   *   stops once it is, or after `leaveTimeoutMs` at most (a goodbye still unconfirmed then is told as
   *   a crash, `'disconnected'`);
   * - during a join, the join rejects `JOIN_CANCELLED`; before any join nothing is sent.
   *
   * Afterwards nothing reaches the app, `leave()` resolves at once, `join()` rejects `JOIN_CANCELLED`,
   * and `end()`, `removeParticipant()` and the microphone and camera methods reject `NOT_JOINED`. A
   * second `dispose()` does nothing.
   */
  dispose(): void
}
