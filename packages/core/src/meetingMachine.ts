import { assign, cancel, emit, spawnChild } from 'xstate'
import { authFailure } from './authorizing.js'
import { initialContext } from './context.js'
import * as handle from './handlers.js'
import * as command from './hostCommands.js'
import * as media from './mediaState.js'
import { ended, leaving } from './sessionEndStates.js'
import * as signalling from './signallingReport.js'
import { statechart } from './statechartSetup.js'
import { apply, goodbye, leaveWith, update, whileInSession } from './transitions.js'

export type { JoiningBeat, MeetingCommand, StatechartEvent } from './transitions.js'

export const meetingMachine = statechart.createMachine({
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
        'admitHeld',
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
                actions: [update(({ context }) => handle.heartbeat(context)), 'scheduleSweep'],
              },
            ],
          },
          on: {
            'transport.disconnected': 'reconnecting',
            'departure.sweep': {
              actions: [update(({ context }) => handle.departureSweep(context)), 'scheduleSweep'],
            },
            // Kept as in any state of the session, and swept at once: it may end someone's allowance now.
            'transport.signalling-presence': [
              { guard: 'presenceByTransport' },
              {
                actions: [
                  apply('transport.signalling-presence', ({ context, event }) =>
                    signalling.signallingPresenceSwept(context, event),
                  ),
                  'scheduleSweep',
                ],
              },
            ],
          },
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
          actions: apply('REMOVE', ({ context, event }) =>
            command.removeRemote(context, event.participantId),
          ),
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
    leaving,
    ended,
  },
})

/** The statechart with its full, internal types (the package publishes it as `MeetingMachine`). */
export type Statechart = typeof meetingMachine
