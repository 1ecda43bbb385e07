import type {
  ActorRef,
  AnyActorRef,
  MachineSnapshot,
  MetaObject,
  ParameterizedObject,
  ProvidedActor,
  StateMachine,
  StateSchema,
  StateValue,
} from 'xstate'
import type { MeetingEmitted } from './meetingEvents.js'
import type { JoinFailureReason, MeetingLeftReason } from './meetingState.js'
import type { Participant } from './participant.js'

// The statechart as the package publishes it. What its context, events and children hold inside is
// core's own business and changes between versions; these types promise only what is named here, so
// reworking the statechart is not a breaking change. `meetingMachine.ts` keeps the full types.

/** What the app (through the facade) asks of the meeting. */
export type MeetingCommand =
  | { type: 'JOIN' }
  | { type: 'LEAVE' }
  | { type: 'END' }
  | { type: 'REMOVE'; participantId: string }
  /** Turn the local microphone and/or camera on or off; a side left out stays as it is. */
  | { type: 'SET_MEDIA'; mic?: boolean; webcam?: boolean }

/**
 * Any other event the statechart takes: what its transport session reports (`transport.ready`,
 * `transport.message`, …), a peer's message once parsed (`peer.hello`, `peer.end`, …) and its own
 * timers. Their fields are internal; model tests take them from the statechart's own transitions.
 */
export interface MeetingSessionEvent {
  /** Its kind; the prefix says where it came from. */
  readonly type: `transport.${string}` | `peer.${string}` | `session.${string}` | `joining.${string}`
  readonly [field: string]: unknown
}

/** Every event `meetingMachine` takes. */
export type MeetingEvent = MeetingCommand | MeetingSessionEvent

/**
 * The part of the statechart's context that is public data (an inspector shows the rest too, but
 * its shape may change in any version). For the app's view of a meeting, read `Meeting.getSnapshot()`.
 */
export interface MeetingMachineContext {
  /** The local participant of this session. */
  readonly local: Participant
  /** Why the session ended, once it has; otherwise `null`. */
  readonly endReason: MeetingLeftReason | JoinFailureReason | null
}

/** The statechart's snapshot: `value`, `status`, `matches()`, `context` and the rest of XState's API. */
export type MeetingMachineSnapshot = MachineSnapshot<
  MeetingMachineContext,
  MeetingEvent,
  Record<string, AnyActorRef | undefined>,
  StateValue,
  string,
  unknown,
  MetaObject,
  StateSchema
>

/**
 * `meetingMachine`'s type: an XState v5 `StateMachine`, for inspection, diagrams and model-based tests
 * (`xstate/graph`). Its input is built by `createMeeting`.
 */
export type MeetingMachine = StateMachine<
  MeetingMachineContext,
  MeetingEvent,
  Record<string, AnyActorRef | undefined>,
  ProvidedActor,
  ParameterizedObject,
  ParameterizedObject,
  string,
  StateValue,
  string,
  unknown,
  unknown,
  MeetingEmitted,
  MetaObject,
  StateSchema
>

/**
 * The XState actor of a meeting (`Meeting.actor`): an XState v5 `ActorRef`, the same object for the
 * meeting's whole life (each `join()` starts a new session inside it). What an app reads of it:
 * - `getSnapshot()`: the statechart's snapshot: `value` (its state, such as `{ joined: 'connected' }`,
 *   `'leaving'`, `'ended'`), `context` (`MeetingMachineContext`: `local`, `endReason`), `status`
 *   (`'active'`, `'stopped'` after `dispose()`) and `matches()`;
 * - `subscribe(observer)`: called at every statechart step, heartbeats and acks included (the meeting's
 *   own `subscribe()` is called once per change the app can see, and is what the React hooks use);
 * - `on(type, handler)`: the events the statechart emits (`MeetingEmitted`), as the meeting's `on()`
 *   re-emits them;
 * - `system` and `sessionId`: for XState's inspection API; `useSelector(meeting.actor, …)` works too.
 *
 * Send it nothing: `send()` exists because every `ActorRef` has it, but the facade's methods check what
 * a command needs (joined, host, a participant that exists) before sending it, and an event sent
 * directly skips those checks. It is started by the first `join()` and stopped by `dispose()`.
 */
export type MeetingActor = ActorRef<MeetingMachineSnapshot, MeetingEvent, MeetingEmitted>
