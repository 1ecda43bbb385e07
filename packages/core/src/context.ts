import type { SessionCredentials } from './auth/credentials.js'
import type { SessionKey } from './auth/sessionKey.js'
import type { HelloVerifier } from './auth/verifyHelloToken.js'
import { PersistentMap } from './PersistentMap.js'
import { ParticipantSlots } from './participantSlots.js'
import type { Asides, Departure, Presence } from './presence.js'
import { PresenceColumns } from './presenceColumns.js'
import type { LinkId, Transport } from './transport.js'
import type {
  JoinFailureReason,
  MeetingLeftReason,
  Participant,
  ParticipantRole,
  TokenProvider,
} from './types.js'

export type { Departure, Presence } from './presence.js'

/**
 * What a leaving session delivers: our LEAVE, our END (we are the host), or, having obeyed a host's
 * END, our confirmation of it, to everyone, staying linked until each present session has it.
 */
export type GoodbyeKind = 'leave' | 'end' | 'obeyed-end'

/** Our goodbye while leaving: what it is, who has yet to confirm it, and how often it was resent. */
export interface Goodbye {
  readonly kind: GoodbyeKind
  readonly awaiting: PersistentMap<string, true>
  /**
   * Links of sessions the signalling server listed as we left that we do not count present (one we
   * declared gone, or whose hello we never had): it may still count us in, so it gets our goodbye
   * until it confirms it too. By link, as we know no more of it.
   */
  readonly listed: PersistentMap<LinkId, true>
  /** Resends so far: the wait before the next one doubles with each (`resendDelayMs`). */
  readonly resends: number
}

/** Timings after option defaults are applied; see `CreateMeetingOptions` for each. */
export interface MeetingTiming {
  /** Heartbeat and departure-sweep period: min(heartbeatIntervalMs, departureTimeoutMs / 3). */
  tickMs: number
  departureTimeoutMs: number
  /** The silence allowance's floor for a session the signalling server reports connected. */
  connectedDepartureTimeoutMs: number
  joinTimeoutMs: number
  leaveTimeoutMs: number
  reconnectTimeoutMs: number
  /** How soon an unconfirmed goodbye is first sent again while leaving; each wait after doubles. */
  retransmitMs: number
  /** The longest wait between two copies of an unconfirmed goodbye (the doubling stops there). */
  retransmitMaxMs: number
  /** How long a `join()` made while leaving waits for the goodbye: min(leaveTimeoutMs, 1000). */
  rejoinWaitMs: number
}

export type EndReason = MeetingLeftReason | JoinFailureReason

/** One session's identity: a fresh session id and start time for every join. */
export interface SessionIdentity {
  sessionId: string
  joinedAt: number
}

/**
 * What a meeting is created with, constant for its whole life: the statechart's input, referenced by
 * (not copied into) its context. Internal: the transport, the verifier and the token stay out of the
 * inspector (`toJSON`).
 */
export interface MeetingInput {
  readonly meetingId: string
  readonly participant: { readonly id: string; readonly name: string; readonly role: ParticipantRole }
  readonly timing: MeetingTiming
  /** The first session's identity, prepared (and checked) when the meeting is created. */
  readonly session: SessionIdentity
  /** A fresh identity for each session after the first. Absent: the first one's, with `-<n>` added. */
  readonly newSession?: () => SessionIdentity
  /** The network. Absent (graphs, inspection): the session fails at once, saying so. */
  readonly transport?: Transport
  /** Checks peers' hellos (with `auth`): their identity and role come from their tokens. */
  readonly verify?: HelloVerifier
  /** The app's token, or the function that fetches one at each join. */
  readonly token?: string | TokenProvider
  /** The key pair of the next session (with a token function), made ahead so a join does not wait for it. */
  readonly sessionKey?: () => Promise<SessionKey>
  /** What an inspector shows of it (no transport, verifier or token). */
  readonly toJSON?: () => unknown
  /**
   * The clock arrivals are stamped with and the departure sweep reads (`arrivalClock`). Absent
   * (graphs, inspection): each session makes its own, and silence is counted in ticks alone.
   */
  readonly clock?: () => number
}

/**
 * This session's bookkeeping: everything a peer's message or a timer changes, in one object, so that a
 * message copies these few fields and not the whole context (XState copies the context once more on
 * every assign). A new session starts a fresh one.
 */
export interface SessionState extends Asides {
  /** Sequence number of the next message this session sends. */
  seq: number
  /** Ticks of the heartbeat clock while connected. */
  tick: number
  /** The public roster, by participant id. */
  members: PersistentMap<string, Participant>
  /** Bumped on every roster change, so readers copy the roster only when it changed. */
  rosterVersion: number
  /**
   * Every remote session present, by session id. Which session speaks on a link is found here too
   * (`sessionOnLink`): a map of its own cost every remote participant an entry, and each join and leave a write.
   */
  presence: PersistentMap<string, Presence>
  // `unlinked` and `slowBeats` (from `Asides`): what only a few presences differ in, kept beside them.
  departed: PersistentMap<string, Departure>
  /** END and REMOVE commands already obeyed and relayed (`origin:seq`), so duplicates do nothing. */
  seenCommands: PersistentMap<string, true>
  /** While joining: the links announced at `ready` that have not said hello yet. */
  expected: PersistentMap<LinkId, true> | null
  /**
   * Until joined: links whose sessions core admitted, told to the transport once the join is done, so
   * the media calls it then places do not take the CPU from the handshakes and hellos still under way.
   * `null` once joined.
   */
  heldAdmits: readonly LinkId[] | null
  /**
   * Present sessions that confirmed a host's END to us before we had it ourselves (its ACK goes to
   * everyone): once we obey that END, we do not wait for them to have it.
   */
  endConfirmed: PersistentMap<string, true>
  /** While leaving: the goodbye being sent and the sessions yet to confirm it (`GoodbyeKind`). */
  goodbye: Goodbye | null
  /** While leaving, once the goodbye has been out `rejoinWaitMs`: a `join()` no longer waits for it. */
  rejoinCutsGoodbye: boolean
  /** Why this session is ending, once decided (the first reason wins). */
  leaveReason: EndReason | null
  /**
   * The links of the remote sessions whose signalling connection is open, as the transport last
   * reported (`signalling-presence`); `null` when it has not, or cannot tell now. Kept here, once per
   * session, not in every presence: the departure detector reads it only when it sweeps.
   */
  signalling: ReadonlySet<LinkId> | null
}

export interface MeetingContext {
  /** Constant for the meeting's whole life (internal). */
  readonly setup: MeetingInput
  /** This session's local participant: identity, and the microphone and camera flags. */
  local: Participant
  /** Why the session ended, for the app, once it has. */
  endReason: EndReason | null
  /** When this session started, by our clock: on a duplicate id, the newest session wins. */
  joinedAt: number
  /** This session's token and key (internal); `null` without a token. */
  credentials: SessionCredentials | null
  /** Sessions begun so far, this one included: `join()` waits for the one it asked for. */
  sessions: number
  /** `join()` was called while the last session was still leaving: the next one, started once it is out. */
  rejoin: SessionIdentity | null
  wasJoined: boolean
  localStream: unknown
  /** What peers' messages and timers change (see `SessionState`). */
  session: SessionState
}

// Shared by every session until its first admission: an idle meeting holds no store of its own.
const NO_MEMBERS = PersistentMap.emptyOf(() => new ParticipantSlots())
const NO_PRESENCES = PersistentMap.emptyOf(() => new PresenceColumns())

export function freshSession(): SessionState {
  return {
    seq: 0,
    tick: 0,
    members: NO_MEMBERS,
    rosterVersion: 0,
    presence: NO_PRESENCES,
    unlinked: PersistentMap.empty(),
    slowBeats: PersistentMap.empty(),
    departed: PersistentMap.empty(),
    seenCommands: PersistentMap.empty(),
    endConfirmed: PersistentMap.empty(),
    expected: null,
    heldAdmits: [],
    goodbye: null,
    rejoinCutsGoodbye: false,
    leaveReason: null,
    signalling: null,
  }
}

/** A session's starting context: what a previous session of the same meeting knew is forgotten. */
export function sessionContext(
  setup: MeetingInput,
  identity: SessionIdentity,
  sessions: number,
): MeetingContext {
  const { participant } = setup
  // Spelled out, not `{ ...participant, sessionId, … }`: V8 (Node 20) gives an object literal that adds
  // properties after a spread a hidden class of its own, about 0.3 kB more per session.
  const local: Participant = {
    id: participant.id,
    name: participant.name,
    role: participant.role,
    sessionId: identity.sessionId,
    stream: null,
    micOn: true,
    webcamOn: true,
  }
  return {
    setup,
    local,
    endReason: null,
    joinedAt: identity.joinedAt,
    credentials: null,
    sessions,
    rejoin: null,
    wasJoined: false,
    localStream: null,
    session: freshSession(),
  }
}

export function initialContext(input: MeetingInput): MeetingContext {
  return sessionContext(input, input.session, 1)
}

/**
 * The next session's identity: the one `join()` prepared (it runs the app's hooks, so what they throw
 * rejects that join and changes nothing here), else the app's hook, else the first one numbered. A hook
 * that throws on a JOIN sent straight to the actor must not stop the meeting: the numbered one is used.
 */
export function nextSession(context: MeetingContext, prepared?: SessionIdentity): SessionIdentity {
  if (prepared !== undefined) return prepared
  const { setup } = context
  if (setup.newSession) {
    try {
      return setup.newSession()
    } catch {
      // Fall through to the numbered identity.
    }
  }
  return { sessionId: `${setup.session.sessionId}-${context.sessions + 1}`, joinedAt: context.joinedAt + 1 }
}

/** Peers' hellos arrive verified (identity and role from their tokens); unverified ones are refused. */
export const authRequired = (context: MeetingContext): boolean => context.setup.verify !== undefined

/** The transport vouches for who each session is (`Transport.identity`): no hellos, the roster from its records. */
export const identityByTransport = (context: MeetingContext): boolean =>
  context.setup.transport?.identity === 'transport'

/** The transport decides who is present (`Transport.presence`): no heartbeats, no departure detector. */
export const presenceByTransport = (context: MeetingContext): boolean =>
  context.setup.transport?.presence === 'transport'
