import { assign, emit, enqueueActions, or, raise, sendTo, setup } from 'xstate'
import { authorizeLogic, immediateCredentials, needsCredentials } from './authorizing.js'
import {
  type EndReason,
  identityByTransport,
  type MeetingContext,
  type MeetingInput,
  nextSession,
  presenceByTransport,
  type SessionIdentity,
  sessionContext,
} from './context.js'
import * as bye from './goodbyes.js'
import * as handle from './handlers.js'
import * as command from './hostCommands.js'
import { alive, isPresentOnLink } from './liveness.js'
import * as media from './mediaState.js'
import { PersistentMap } from './PersistentMap.js'
import type { PeerMessageEvent } from './peerEvents.js'
import type { EndMessage, HelloMessage, RemoveMessage } from './protocol.js'
import { type SessionCommand, sessionLogic } from './sessionActor.js'
import type { StatechartEvent } from './transitions.js'
import type { MeetingLeftReason, Participant } from './types.js'
import type { MeetingEmitted, Work } from './work.js'

// The statechart's typed vocabulary: its context, events, actors, delays, guards and actions. The
// states that use them are in `meetingMachine.ts` and `sessionEndStates.ts`.

const NONE: readonly never[] = []

const vocabulary = setup({
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
    rejoinWait: ({ context }) => context.setup.timing.rejoinWaitMs,
    retransmit: ({ context }) => bye.resendDelayMs(context),
    reconnectTimeout: ({ context }) => context.setup.timing.reconnectTimeoutMs,
    drainTimeout: ({ context }) => Math.max(100, context.setup.timing.retransmitMs),
  },
  guards: {
    needsCredentials: ({ context }) => needsCredentials(context.setup),
    rejoinPending: ({ context }) => context.rejoin !== null,
    rejoinCutsGoodbye: ({ context }) => context.session.rejoinCutsGoodbye,
    isLastParticipant: ({ context }) => context.session.members.size === 0,
    isHost: ({ context }) => context.local.role === 'host',
    // The seed's rule: the host, or whoever is last in the room, may end it for everyone.
    canEnd: or(['isHost', 'isLastParticipant']),
    canRemove: ({ context }, participantId: string) =>
      context.local.role === 'host' && context.session.members.has(participantId),
    isFromHost: ({ context }, message: EndMessage | RemoveMessage) => command.isFromHost(context, message),
    isSeenCommand: ({ context }, message: EndMessage | RemoveMessage) =>
      command.isSeenCommand(context, message),
    isHostRemovingMe: ({ context }, message: RemoveMessage) =>
      command.isFromHost(context, message) && command.targetsMe(context, message),
    isNewerSelf: ({ context }, message: HelloMessage) => handle.isNewerSelf(context, message),
    isPresentOnLink: ({ context }, { linkId, message }: PeerMessageEvent) =>
      isPresentOnLink(context, linkId, message),
    allGreeted: ({ context: { session } }) => session.expected !== null && session.expected.size === 0,
    allAcked: ({ context: { session } }) =>
      session.goodbye === null || (session.goodbye.awaiting.size === 0 && session.goodbye.listed.size === 0),
    isFatal: (_, fatal: boolean) => fatal,
    changesMedia: ({ context }, change: media.MediaChange) => media.changesMedia(context, change),
    // The transport is authoritative for presence: no heartbeats through it, no departure detector.
    presenceByTransport: ({ context }) => presenceByTransport(context),
    // The transport vouches for who each session is: it introduces them, nobody sends hellos.
    identityByTransport: ({ context }) => identityByTransport(context),
  },
  actions: {
    // `commit`'s parts, by name: a step enqueues a small object for each, not a new action.
    store: assign((_, work: Work) =>
      work.local !== undefined ? { local: work.local, session: work.session } : { session: work.session },
    ),
    tell: emit((_, event: MeetingEmitted) => event),
    deliver: sendTo('session', (_, command: SessionCommand) => command),
    // The join is done: the transport hears of every session admitted meanwhile (their media calls).
    admitHeld: enqueueActions(({ context, enqueue }) => {
      const admits = context.session.heldAdmits ?? NONE
      enqueue.assign(({ context }) => ({ session: { ...context.session, heldAdmits: null } }))
      if (admits.length > 0) {
        enqueue.sendTo('session', { type: 'deliver', sends: NONE, admits } satisfies SessionCommand)
      }
    }),
    // A message from a session present on its own link that only says it is alive: one assign of its
    // refreshed liveness, no Work (an action XState executes, like `commit`'s emits and sends, costs a
    // step far more than its call: see bench/README.md).
    hearAlive: assign(({ context }, { linkId, message, at }: PeerMessageEvent) => ({
      session: alive(context, linkId, message, at),
    })),
    beginSession: assign(({ context }, prepared: SessionIdentity | undefined) =>
      sessionContext(context.setup, nextSession(context, prepared), context.sessions + 1),
    ),
    useImmediateCredentials: assign({ credentials: ({ context }) => immediateCredentials(context.setup) }),
    leaveWith: assign(({ context: { session } }, params: { reason: EndReason }) => ({
      session: session.leaveReason === null ? { ...session, leaveReason: params.reason } : session,
    })),
    scheduleJoiningBeat: raise({ type: 'joining.beat' }, { id: 'joiningBeat', delay: 'tick' }),
    // A sweep before the next tick, when a peer's allowance runs out by the wall clock before then
    // (`nextSweepInMs`): a crash is found when its allowance is over, not at the tick after.
    scheduleSweep: enqueueActions(({ context, enqueue }) => {
      const inMs = handle.sweepDueInMs(context)
      if (inMs === null) return
      enqueue.cancel('departureSweep')
      enqueue.raise({ type: 'departure.sweep' }, { id: 'departureSweep', delay: inMs })
    }),
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
})

// `commit` names the actions above, so it is added once they are known.
export const statechart = vocabulary.extend<{ commit: Work }>({
  actions: {
    // Applies one handler's Work: a single assign of what it changed (XState copies the context's few
    // top-level fields once), then what it emits and sends, in order. Nothing changed, no assign. The
    // assigner is a function: given an object, XState would first copy it key by key.
    commit: enqueueActions(({ context, enqueue }, work: Work) => {
      if (work.local !== undefined || work.session !== context.session)
        enqueue({ type: 'store', params: work })
      for (const event of work.emits) enqueue({ type: 'tell', params: event })
      const { sends } = work
      let { admits = NONE } = work
      if (admits.length > 0 && work.session.heldAdmits !== null) {
        const held = [...work.session.heldAdmits, ...admits]
        enqueue.assign(({ context }) => ({ session: { ...context.session, heldAdmits: held } }))
        admits = NONE
      }
      if (sends.length > 0 || admits.length > 0) {
        enqueue({ type: 'deliver', params: { type: 'deliver', sends, admits } })
      }
    }),
  },
})

const isLeftReason = (reason: EndReason): reason is MeetingLeftReason =>
  reason !== 'cancelled' && reason !== 'timeout' && reason !== 'transport-error'
