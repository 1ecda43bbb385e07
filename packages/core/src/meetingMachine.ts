import {
  type ActorRefFrom,
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
import { type EndReason, initialContext, type MeetingContext, type MeetingInput } from './context.js'
import type { PeerEvent } from './handlers.js'
import * as handle from './handlers.js'
import * as media from './mediaState.js'
import { PersistentMap } from './PersistentMap.js'
import type { EndMessage, RemoveMessage } from './protocol.js'
import { missingTransportSession, type SessionCommand, type SessionEvent } from './sessionActor.js'
import type { MeetingCommand, Participant } from './types.js'
import type { MeetingEmitted, Work } from './work.js'

export type { MeetingCommand }

/** The heartbeat clock while joining (a delayed raise: `after` would restart with each substate). */
export type JoiningBeat = { type: 'joining.beat' }

export type MeetingEvent = MeetingCommand | SessionEvent | PeerEvent | JoiningBeat

type CommandEvent = Extract<PeerEvent, { type: 'peer.end' | 'peer.remove' }>
const command = (event: MeetingEvent) => (event as CommandEvent).message as EndMessage | RemoveMessage

interface CommitTarget {
  assign(patch: () => MeetingContext): void
  emit(event: MeetingEmitted): void
  sendTo(actor: 'session', command: SessionCommand): void
}

// Commits one handler's Work: a single assign, then what it emits and sends, in order. The assigner
// is a function: given an object, XState would first copy it key by key into a partial update.
function commit(enqueue: unknown, work: Work) {
  const target = enqueue as CommitTarget
  target.assign(() => work.ctx)
  for (const event of work.emits) target.emit(event)
  for (const out of work.sends) target.sendTo('session', { type: 'send', ...out })
  for (const linkId of work.admits ?? []) target.sendTo('session', { type: 'admit-link', linkId })
}

type Announce = { announce: boolean }
const leaveWith = (reason: EndReason) => ({ type: 'leaveWith', params: { reason } }) as const
const goodbye = (kind: 'leave' | 'end', reason: EndReason) =>
  ({ type: 'prepareGoodbye', params: { kind, reason } }) as const

// What joining and joined share: links, messages and peers' commands. While joining, arrivals and
// departures update the roster silently (the app sees the room as it is at `meeting-joined`).
const whileInSession = ({ announce, fatalReason }: Announce & { fatalReason: EndReason }) =>
  ({
    'transport.link-up': { actions: 'linkUp' },
    'transport.link-down': { actions: 'linkDown' },
    'transport.message': { actions: { type: 'receive', params: { announce, leaving: false } } },
    'transport.media': { actions: 'remoteMedia' },
    'transport.local-media': { actions: 'localMedia' },
    'transport.error': [
      {
        guard: 'isFatal',
        target: '#meeting.ended',
        actions: ['reportTransportError', leaveWith(fatalReason)],
      },
      { actions: 'reportTransportError' },
    ],
    // Only raised for a newer session of our own id (see `receive`): other hellos need no step of their own.
    'peer.hello': {
      guard: 'isNewerSelf',
      target: '#meeting.leaving',
      actions: goodbye('leave', 'duplicate'),
    },
    'peer.media': { actions: { type: 'remoteMediaState', params: { announce } } },
    'peer.end': [
      {
        guard: 'isFromHost',
        target: '#meeting.leaving',
        actions: { type: 'obeyCommand', params: { announce } },
      },
      { actions: 'reportUnauthorized' },
    ],
    'peer.remove': [
      { guard: 'isSeenCommand' },
      {
        guard: and(['isFromHost', 'targetsMe']),
        target: '#meeting.leaving',
        actions: { type: 'obeyCommand', params: { announce } },
      },
      { guard: 'isFromHost', actions: { type: 'obeyCommand', params: { announce } } },
      { actions: 'reportUnauthorized' },
    ],
  }) as const

export const meetingMachine = setup({
  types: {
    context: {} as MeetingContext,
    input: {} as MeetingInput,
    events: {} as MeetingEvent,
    emitted: {} as MeetingEmitted,
  },
  actors: { session: missingTransportSession },
  delays: {
    tick: ({ context }) => context.timing.tickMs,
    joinTimeout: ({ context }) => context.timing.joinTimeoutMs,
    greetingTimeout: ({ context }) => context.timing.departureTimeoutMs,
    leaveTimeout: ({ context }) => context.timing.leaveTimeoutMs,
    retransmit: ({ context }) => context.timing.retransmitMs,
    reconnectTimeout: ({ context }) => context.timing.reconnectTimeoutMs,
    drainTimeout: ({ context }) => Math.max(100, context.timing.retransmitMs),
  },
  guards: {
    isLastParticipant: ({ context }) => context.members.size === 0,
    isHost: ({ context }) => context.local.role === 'host',
    // The seed's rule: the host, or whoever is last in the room, may end it for everyone.
    canEnd: or(['isHost', 'isLastParticipant']),
    canRemove: ({ context, event }) =>
      context.local.role === 'host' && event.type === 'REMOVE' && context.members.has(event.participantId),
    isFromHost: ({ context, event }) => handle.isFromHost(context, command(event)),
    isSeenCommand: ({ context, event }) => handle.isSeenCommand(context, command(event)),
    targetsMe: ({ context, event }) =>
      event.type === 'peer.remove' && handle.targetsMe(context, event.message),
    isNewerSelf: ({ context, event }) =>
      event.type === 'peer.hello' && handle.isNewerSelf(context, event.message),
    allGreeted: ({ context }) => context.expected !== null && context.expected.size === 0,
    allAcked: ({ context }) => context.goodbye === null || context.goodbye.awaiting.size === 0,
    isFatal: ({ event }) => event.type === 'transport.error' && event.fatal,
  },
  actions: {
    leaveWith: assign(({ context }, params: { reason: EndReason }) => ({
      leaveReason: context.leaveReason ?? params.reason,
    })),
    prepareGoodbye: enqueueActions(
      ({ context, enqueue }, params: { kind: 'leave' | 'end'; reason: EndReason }) =>
        commit(enqueue, handle.prepareGoodbye(context, params.kind, params.reason)),
    ),
    sendGoodbye: enqueueActions(({ context, enqueue }) => commit(enqueue, handle.sendGoodbye(context))),
    obeyCommand: enqueueActions(({ context, event, enqueue }, params: Announce) => {
      if (event.type === 'peer.end' || event.type === 'peer.remove') {
        commit(enqueue, handle.obeyCommand(context, event.linkId, event.message, params.announce))
      }
    }),
    receive: enqueueActions(({ context, event, enqueue }, phase: handle.Phase) => {
      if (event.type !== 'transport.message') return
      const { work, peerEvent } = handle.receive(context, event, phase)
      commit(enqueue, work)
      if (peerEvent) enqueue.raise(peerEvent)
    }),
    expectPeers: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'transport.ready') commit(enqueue, handle.expectPeers(context, event.peers))
    }),
    linkUp: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'transport.link-up') commit(enqueue, handle.linkUp(context, event.linkId))
    }),
    linkDown: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'transport.link-down') commit(enqueue, handle.linkDown(context, event.linkId))
    }),
    reportUnauthorized: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'peer.end' || event.type === 'peer.remove') {
        commit(enqueue, handle.reportUnauthorized(context, event.linkId, event.message))
      }
    }),
    removeRemote: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'REMOVE') commit(enqueue, handle.removeRemote(context, event.participantId))
    }),
    resendGoodbye: enqueueActions(({ context, enqueue }) => commit(enqueue, handle.resendGoodbye(context))),
    heartbeat: enqueueActions(({ context, enqueue }) => commit(enqueue, handle.heartbeat(context))),
    joiningBeat: enqueueActions(({ context, enqueue }) => commit(enqueue, handle.joiningBeat(context))),
    scheduleJoiningBeat: raise({ type: 'joining.beat' }, { id: 'joiningBeat', delay: 'tick' }),
    remoteMedia: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'transport.media')
        commit(enqueue, handle.remoteMedia(context, event.linkId, event.stream))
    }),
    // The app's side of the session ends here, once: meeting-left (if it had joined), an empty roster,
    // and the local camera and microphone released. Whatever goodbye is still being delivered goes on
    // behind the scenes and tells the app nothing more.
    closeForApp: enqueueActions(({ context, enqueue }) => {
      if (context.endReason !== null) return
      const reason = context.leaveReason ?? 'left'
      enqueue.assign({
        endReason: reason,
        members: PersistentMap.empty<string, Participant>(),
        rosterVersion: context.rosterVersion + 1,
        localStream: null,
      })
      enqueue.sendTo('session', { type: 'release-media' } satisfies SessionCommand)
      if (context.wasJoined) {
        enqueue.emit({ type: 'meeting-left', reason: reason as Extract<EndReason, 'left'> })
      }
    }),
    setLocalMedia: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'SET_MEDIA') return
      const work = media.setLocalMedia(context, event)
      commit(enqueue, work)
      if (work.ctx.local !== context.local) enqueue.sendTo('session', media.mediaCommand(work.ctx))
    }),
    remoteMediaState: enqueueActions(({ context, event, enqueue }, params: Announce) => {
      if (event.type === 'peer.media')
        commit(enqueue, media.remoteMediaState(context, event.message, params.announce))
    }),
    localMedia: assign({
      localStream: ({ event }) => (event.type === 'transport.local-media' ? event.stream : null),
    }),
    reportTransportError: enqueueActions(({ context, event, enqueue }) => {
      if (event.type === 'transport.error')
        commit(enqueue, handle.transportError(context, event.error, event.fatal))
    }),
  },
}).createMachine({
  id: 'meeting',
  context: ({ input }) => initialContext(input),
  initial: 'idle',
  states: {
    idle: {
      on: { JOIN: 'joining' },
    },
    joining: {
      entry: [
        spawnChild('session', {
          id: 'session',
          input: ({ context }) => ({
            meetingId: context.meetingId,
            participantId: context.local.id,
            sessionId: context.local.sessionId,
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
          on: { 'transport.ready': { target: 'greeting', actions: 'expectPeers' } },
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
        'joining.beat': { actions: ['joiningBeat', 'scheduleJoiningBeat'] },
        ...whileInSession({ announce: false, fatalReason: 'transport-error' }),
      },
    },
    joined: {
      entry: [assign({ wasJoined: true, expected: null }), emit({ type: 'meeting-joined' })],
      initial: 'connected',
      states: {
        connected: {
          after: { tick: { target: 'connected', reenter: true, actions: 'heartbeat' } },
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
        REMOVE: { guard: 'canRemove', actions: 'removeRemote' },
        SET_MEDIA: { actions: 'setLocalMedia' },
        ...whileInSession({ announce: true, fatalReason: 'connection-lost' }),
      },
    },
    leaving: {
      // For the app the session is over on entering: leave() and end() resolve and meeting-left fires
      // now, not after the acks, however slow the network or the machine. The goodbye goes out after
      // that, so the one who leaves is told before anyone else.
      entry: ['closeForApp', 'sendGoodbye'],
      initial: 'awaitingAcks',
      states: {
        awaitingAcks: {
          always: { guard: 'allAcked', target: 'draining' },
          after: { retransmit: { target: 'awaitingAcks', reenter: true, actions: 'resendGoodbye' } },
        },
        draining: {
          entry: sendTo('session', { type: 'drain' }),
          on: { 'session.drained': '#meeting.ended' },
          after: { drainTimeout: '#meeting.ended' },
        },
      },
      after: { leaveTimeout: 'ended' },
      on: {
        // Acks count here, and someone leaving at the same time as us is confirmed (see `receive`).
        'transport.message': { actions: { type: 'receive', params: { announce: false, leaving: true } } },
      },
    },
    ended: {
      type: 'final',
      entry: [
        // Already done on entering `leaving`; here for the ways out that skip it (timeouts, fatal errors).
        // Once out, the roster is empty (as in VideoSDK); nobody is announced as leaving for it.
        'closeForApp',
        stopChild('session'),
        assign({ goodbye: null }),
      ],
    },
  },
})

export type MeetingMachine = typeof meetingMachine
export type MeetingActorRef = ActorRefFrom<MeetingMachine>
