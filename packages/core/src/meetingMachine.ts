import {
  and,
  assign,
  cancel,
  emit,
  enqueueActions,
  or,
  raise,
  sendTo,
  setup,
  spawnChild,
  stopChild,
} from 'xstate'
import { authFailure, authorizeLogic, immediateCredentials, needsCredentials } from './authorizing.js'
import {
  type EndReason,
  identityByTransport,
  initialContext,
  type MeetingContext,
  type MeetingInput,
  nextSession,
  presenceByTransport,
  type SessionIdentity,
  sessionContext,
} from './context.js'
import * as handle from './handlers.js'
import * as media from './mediaState.js'
import { PersistentMap } from './PersistentMap.js'
import type { EndMessage, HelloMessage, RemoveMessage } from './protocol.js'
import { type SessionCommand, sessionLogic } from './sessionActor.js'
import { apply, goodbye, leaveWith, type StatechartEvent, update, whileInSession } from './transitions.js'
import type { MeetingLeftReason, Participant } from './types.js'
import type { MeetingEmitted, Work } from './work.js'

export type { JoiningBeat, MeetingCommand, StatechartEvent } from './transitions.js'

const NONE: readonly never[] = []

// A new session: with the identity the JOIN brought (`join()` prepares it), or the one a JOIN sent
// while the last session was leaving left in `rejoin`.
const askedSession = {
  type: 'beginSession',
  params: ({ event }: { event: StatechartEvent }) => (event.type === 'JOIN' ? event.session : undefined),
} as const
const pendingSession = {
  type: 'beginSession',
  params: ({ context }: { context: MeetingContext }) => context.rejoin ?? undefined,
} as const

export const meetingMachine = setup({
  types: {
    context: {} as MeetingContext,
    input: {} as MeetingInput,
    events: {} as StatechartEvent,
    emitted: {} as MeetingEmitted,
  },
  actors: { session: sessionLogic, authorize: authorizeLogic },
  delays: {
    tick: ({ context }) => context.setup.timing.tickMs,
    joinTimeout: ({ context }) => context.setup.timing.joinTimeoutMs,
    greetingTimeout: ({ context }) => context.setup.timing.departureTimeoutMs,
    leaveTimeout: ({ context }) => context.setup.timing.leaveTimeoutMs,
    retransmit: ({ context }) => context.setup.timing.retransmitMs,
    reconnectTimeout: ({ context }) => context.setup.timing.reconnectTimeoutMs,
    drainTimeout: ({ context }) => Math.max(100, context.setup.timing.retransmitMs),
  },
  guards: {
    needsCredentials: ({ context }) => needsCredentials(context.setup),
    rejoinPending: ({ context }) => context.rejoin !== null,
    isLastParticipant: ({ context }) => context.session.members.size === 0,
    isHost: ({ context }) => context.local.role === 'host',
    // The seed's rule: the host, or whoever is last in the room, may end it for everyone.
    canEnd: or(['isHost', 'isLastParticipant']),
    canRemove: ({ context }, participantId: string) =>
      context.local.role === 'host' && context.session.members.has(participantId),
    isFromHost: ({ context }, message: EndMessage | RemoveMessage) => handle.isFromHost(context, message),
    isSeenCommand: ({ context }, message: EndMessage | RemoveMessage) =>
      handle.isSeenCommand(context, message),
    isHostRemovingMe: ({ context }, message: RemoveMessage) =>
      handle.isFromHost(context, message) && handle.targetsMe(context, message),
    isNewerSelf: ({ context }, message: HelloMessage) => handle.isNewerSelf(context, message),
    allGreeted: ({ context: { session } }) => session.expected !== null && session.expected.size === 0,
    allAcked: ({ context: { session } }) => session.goodbye === null || session.goodbye.awaiting.size === 0,
    isFatal: (_, fatal: boolean) => fatal,
    changesMedia: ({ context }, change: media.MediaChange) => media.changesMedia(context, change),
    // The transport is authoritative for presence: no heartbeats through it, no departure detector.
    presenceByTransport: ({ context }) => presenceByTransport(context),
    // The transport vouches for who each session is: it introduces them, nobody sends hellos.
    identityByTransport: ({ context }) => identityByTransport(context),
  },
  actions: {
    // Applies one handler's Work: a single assign of what it changed (XState copies the context's few
    // top-level fields once), then what it emits and sends, in order. Nothing changed, no assign. The
    // assigner is a function: given an object, XState would first copy it key by key.
    commit: enqueueActions(({ context, enqueue }, work: Work) => {
      if (work.local !== undefined) {
        const { local, session } = work
        enqueue.assign(() => ({ local, session }))
      } else if (work.session !== context.session) {
        const { session } = work
        enqueue.assign(() => ({ session }))
      }
      for (const event of work.emits) enqueue.emit(event)
      const { sends, admits = NONE } = work
      if (sends.length > 0 || admits.length > 0) {
        enqueue.sendTo('session', { type: 'deliver', sends, admits } satisfies SessionCommand)
      }
    }),
    beginSession: assign(({ context }, prepared: SessionIdentity | undefined) =>
      sessionContext(context.setup, nextSession(context, prepared), context.sessions + 1),
    ),
    useImmediateCredentials: assign({ credentials: ({ context }) => immediateCredentials(context.setup) }),
    leaveWith: assign(({ context: { session } }, params: { reason: EndReason }) => ({
      session: session.leaveReason === null ? { ...session, leaveReason: params.reason } : session,
    })),
    scheduleJoiningBeat: raise({ type: 'joining.beat' }, { id: 'joiningBeat', delay: 'tick' }),
    // The app's side of the session ends here, once: meeting-left (if it had joined), an empty roster,
    // and the local camera and microphone released. Whatever goodbye is still being delivered goes on
    // behind the scenes and tells the app nothing more.
    closeForApp: enqueueActions(({ context, enqueue }) => {
      if (context.endReason !== null) return
      const { session } = context
      const reason = session.leaveReason ?? 'left'
      enqueue.assign({
        endReason: reason,
        session: {
          ...session,
          members: PersistentMap.empty<string, Participant>(),
          rosterVersion: session.rosterVersion + 1,
        },
        localStream: null,
      })
      enqueue.sendTo('session', { type: 'release-media' } satisfies SessionCommand)
      if (context.wasJoined && isLeftReason(reason)) enqueue.emit({ type: 'meeting-left', reason })
    }),
    // The transport is told which local tracks to send, after the context has the new flags.
    tellMedia: sendTo('session', ({ context }) => media.mediaCommand(context)),
    localMedia: assign({ localStream: (_, stream: unknown) => stream }),
  },
}).createMachine({
  id: 'meeting',
  context: ({ input }) => initialContext(input),
  initial: 'idle',
  states: {
    idle: {
      on: {
        JOIN: [
          { guard: 'needsCredentials', target: 'authorizing' },
          { target: 'joining', actions: 'useImmediateCredentials' },
        ],
      },
    },
    authorizing: {
      // Credentials first (a key pair, a token bound to it, our own token checked as peers will check
      // it): nobody hears of this session before they are in hand.
      invoke: {
        id: 'authorize',
        src: 'authorize',
        input: ({ context }) => ({ setup: context.setup }),
        onDone: { target: 'joining', actions: assign({ credentials: ({ event }) => event.output }) },
        onError: {
          target: 'idle',
          actions: emit(({ event }) => ({ type: 'error' as const, error: authFailure(event.error) })),
        },
      },
      // Nothing was opened yet: cancelling goes straight back.
      on: { LEAVE: 'idle' },
    },
    joining: {
      entry: [
        spawnChild('session', {
          id: 'session',
          input: ({ context }) => ({
            setup: context.setup,
            credentials: context.credentials,
            options: {
              meetingId: context.setup.meetingId,
              participantId: context.local.id,
              sessionId: context.local.sessionId,
              self: {
                name: context.local.name,
                role: context.local.role,
                joinedAt: context.joinedAt,
                media: { mic: context.local.micOn, webcam: context.local.webcamOn },
              },
            },
          }),
        }),
        'scheduleJoiningBeat',
      ],
      // Peers may see us from our first hello on, however long the join takes: we beat meanwhile, so
      // they never take a slow join for a departure (and show us leaving and coming back).
      exit: cancel('joiningBeat'),
      initial: 'connecting',
      states: {
        connecting: {
          on: {
            'transport.ready': {
              target: 'greeting',
              actions: apply('transport.ready', ({ context, event }) =>
                handle.expectPeers(context, event.peers),
              ),
            },
          },
          after: { joinTimeout: { target: '#meeting.ended', actions: leaveWith('timeout') } },
        },
        greeting: {
          always: { guard: 'allGreeted', target: '#meeting.joined' },
          // Someone announced at `ready` may never answer; join without them, they will be announced later.
          after: { greetingTimeout: '#meeting.joined' },
        },
      },
      on: {
        LEAVE: { target: 'leaving', actions: goodbye('leave', 'cancelled') },
        'transport.terminating': { target: 'leaving', actions: goodbye('leave', 'cancelled') },
        'joining.beat': [
          // Nobody needs our heartbeats when the transport tells them we are here: the beat stops.
          { guard: 'presenceByTransport' },
          {
            actions: [
              apply('joining.beat', ({ context }) => handle.joiningBeat(context)),
              'scheduleJoiningBeat',
            ],
          },
        ],
        ...whileInSession(false, 'transport-error'),
      },
    },
    joined: {
      entry: [
        assign({ wasJoined: true, session: ({ context }) => ({ ...context.session, expected: null }) }),
        emit({ type: 'meeting-joined' }),
      ],
      initial: 'connected',
      states: {
        connected: {
          after: {
            tick: [
              {
                // Presence is the transport's: the clock only ages what departed sessions are kept for.
                guard: 'presenceByTransport',
                target: 'connected',
                reenter: true,
                actions: update(({ context }) => handle.quietTick(context)),
              },
              {
                target: 'connected',
                reenter: true,
                actions: update(({ context }) => handle.heartbeat(context)),
              },
            ],
          },
          on: { 'transport.disconnected': 'reconnecting' },
        },
        reconnecting: {
          // The heartbeat clock stands still here: nobody's silence counts while we cannot hear them.
          on: { 'transport.reconnected': 'connected' },
          after: { reconnectTimeout: { target: '#meeting.ended', actions: leaveWith('connection-lost') } },
        },
      },
      on: {
        LEAVE: { target: 'leaving', actions: goodbye('leave', 'left') },
        'transport.terminating': { target: 'leaving', actions: goodbye('leave', 'left') },
        END: { guard: 'canEnd', target: 'leaving', actions: goodbye('end', 'ended') },
        REMOVE: {
          guard: { type: 'canRemove', params: ({ event }) => event.participantId },
          actions: apply('REMOVE', ({ context, event }) => handle.removeRemote(context, event.participantId)),
        },
        SET_MEDIA: {
          guard: { type: 'changesMedia', params: ({ event }) => event },
          actions: [
            apply('SET_MEDIA', ({ context, event }) => media.setLocalMedia(context, event)),
            'tellMedia',
          ],
        },
        ...whileInSession(true, 'connection-lost'),
      },
    },
    leaving: {
      // For the app the session is over on entering: leave() and end() resolve and meeting-left fires
      // now, not after the acks, however slow the network or the machine. The goodbye goes out after
      // that, so the one who leaves is told before anyone else.
      entry: ['closeForApp', update(({ context }) => handle.sendGoodbye(context))],
      initial: 'awaitingAcks',
      states: {
        awaitingAcks: {
          always: { guard: 'allAcked', target: 'draining' },
          after: {
            retransmit: {
              target: 'awaitingAcks',
              reenter: true,
              actions: update(({ context }) => handle.resendGoodbye(context)),
            },
          },
        },
        draining: {
          entry: sendTo('session', { type: 'drain' }),
          on: { 'session.drained': '#meeting.ended' },
          after: { drainTimeout: '#meeting.ended' },
        },
      },
      after: { leaveTimeout: 'ended' },
      on: {
        // Acks count here, and someone leaving at the same time as us is confirmed, so neither waits.
        // The app is out: nothing reaches it any more (no errors, no arrivals, no commands).
        'peer.ack': { actions: apply('peer.ack', ({ context, event }) => handle.ackFrom(context, event)) },
        'peer.leave': {
          actions: apply('peer.leave', ({ context, event }) => handle.leaveFrom(context, event, false)),
        },
        'peer.unverified': {
          actions: apply('peer.unverified', ({ context, event }) => handle.askHello(context, event)),
        },
        'peer.hello': { actions: apply('peer.hello', ({ context, event }) => handle.heard(context, event)) },
        'peer.heartbeat': {
          actions: apply('peer.heartbeat', ({ context, event }) => handle.heard(context, event)),
        },
        'peer.media': { actions: apply('peer.media', ({ context, event }) => handle.heard(context, event)) },
        // Someone gone meanwhile is not waited for (and, the app being out, not announced).
        'presence.gone': {
          actions: apply('presence.gone', ({ context, event }) => handle.presenceGone(context, event, false)),
        },
        // A join while the goodbye is delivered: the next session starts once this one is out.
        JOIN: { actions: assign({ rejoin: ({ context, event }) => nextSession(context, event.session) }) },
      },
    },
    ended: {
      entry: [
        // Already done on entering `leaving`; here for the ways out that skip it (timeouts, fatal errors).
        // Once out, the roster is empty (as in VideoSDK); nobody is announced as leaving for it.
        'closeForApp',
        stopChild('session'),
        assign({ session: ({ context }) => ({ ...context.session, goodbye: null }) }),
      ],
      // Not the end of the meeting: a join starts a new session (a new session id, a fresh roster).
      always: [
        { guard: and(['rejoinPending', 'needsCredentials']), target: 'authorizing', actions: pendingSession },
        { guard: 'rejoinPending', target: 'joining', actions: [pendingSession, 'useImmediateCredentials'] },
      ],
      on: {
        JOIN: [
          { guard: 'needsCredentials', target: 'authorizing', actions: askedSession },
          { target: 'joining', actions: [askedSession, 'useImmediateCredentials'] },
        ],
      },
    },
  },
})

const isLeftReason = (reason: EndReason): reason is MeetingLeftReason =>
  reason !== 'cancelled' && reason !== 'timeout' && reason !== 'transport-error'

/** The statechart with its full, internal types (the package publishes it as `MeetingMachine`). */
export type Statechart = typeof meetingMachine
