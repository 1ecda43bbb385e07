import type { EndReason, MeetingContext, SessionIdentity } from './context.js'
import * as bye from './goodbyes.js'
import * as handle from './handlers.js'
import * as command from './hostCommands.js'
import * as media from './mediaState.js'
import type { PeerEvent } from './peerEvents.js'
import type { SessionEvent } from './sessionEvents.js'
import * as signalling from './signallingReport.js'
import type { MeetingCommand } from './types.js'
import type { Work } from './work.js'

// The transitions joining and joined share, and the typed helpers that run a handler on a transition's
// own event (its Work is applied by the statechart's `commit` action).

export type { MeetingCommand }

/** The heartbeat clock while joining (a delayed raise: `after` would restart with each substate). */
export type JoiningBeat = { type: 'joining.beat' }
/** A departure sweep between two ticks of the heartbeat clock (`scheduleSweep`). */
export type DepartureSweep = { type: 'departure.sweep' }

/**
 * JOIN as `join()` sends it: with the next session's identity when one must be made (the app's hooks
 * run in `join()`, so a hook that throws rejects that call instead of stopping the actor).
 */
export type JoinCommand = { type: 'JOIN'; session?: SessionIdentity }

/** Every event the statechart takes, with its full, internal types (public: `MeetingEvent`). */
export type StatechartEvent =
  | Exclude<MeetingCommand, { type: 'JOIN' }>
  | JoinCommand
  | SessionEvent
  | PeerEvent
  | JoiningBeat
  | DepartureSweep

export type On<TType extends StatechartEvent['type']> = {
  context: MeetingContext
  event: Extract<StatechartEvent, { type: TType }>
}
/** Runs a handler on the transition's own (typed) event; the `commit` action applies its Work. */
export const apply = <TType extends StatechartEvent['type']>(
  _type: TType,
  handler: (args: On<TType>) => Work,
) => ({
  type: 'commit' as const,
  params: handler,
})
/** Runs a handler that needs only the context. */
export const update = (handler: (args: { context: MeetingContext }) => Work) => ({
  type: 'commit' as const,
  params: handler,
})
export const leaveWith = (reason: EndReason) => ({ type: 'leaveWith', params: { reason } }) as const
export const goodbye = (kind: 'leave' | 'end', reason: EndReason) =>
  update(({ context }) => bye.prepareGoodbye(context, kind, reason))
const endCommand = ({ event }: On<'peer.end'>) => event.message
const removeCommand = ({ event }: On<'peer.remove'>) => event.message
const heartbeat = ({ event }: On<'peer.heartbeat'>) => event

const transportError = apply('transport.error', ({ context, event }) =>
  handle.transportError(context, event.error, event.fatal),
)

// What joining and joined share: links, messages and peers' commands. While joining, arrivals and
// departures update the roster silently (the app sees the room as it is at `meeting-joined`).
export const whileInSession = (announce: boolean, fatalReason: EndReason) =>
  ({
    'transport.link-up': [
      // The transport introduces the session on it (its record comes as that session's hello): no hello.
      { guard: 'identityByTransport' },
      { actions: apply('transport.link-up', ({ context, event }) => handle.linkUp(context, event.linkId)) },
    ],
    'transport.link-down': {
      actions: apply('transport.link-down', ({ context, event }) => handle.linkDown(context, event.linkId)),
    },
    // The transport, authoritative for presence, says a remote session is gone: it departs once.
    'presence.gone': {
      actions: apply('presence.gone', ({ context, event }) => handle.presenceGone(context, event, announce)),
    },
    // Who the signalling server sees connected: stored for the departure detector. A transport that
    // decides presence itself is not asked for it; what it sends anyway changes nothing.
    'transport.signalling-presence': [
      { guard: 'presenceByTransport' },
      {
        actions: apply('transport.signalling-presence', ({ context, event }) =>
          signalling.signallingPresence(context, event),
        ),
      },
    ],
    'transport.media': {
      actions: apply('transport.media', ({ context, event }) =>
        handle.remoteMedia(context, event.linkId, event.stream, announce),
      ),
    },
    'transport.local-media': {
      actions: { type: 'localMedia', params: ({ event }: On<'transport.local-media'>) => event.stream },
    },
    'transport.error': [
      {
        guard: { type: 'isFatal', params: ({ event }: On<'transport.error'>) => event.fatal },
        target: '#meeting.ended',
        actions: [transportError, leaveWith(fatalReason)],
      },
      { actions: transportError },
    ],
    // Each peer message is one event, parsed and typed before it gets here (`peerEvents`).
    'peer.refused': {
      actions: apply('peer.refused', ({ context, event }) => handle.refused(context, event.error)),
    },
    'peer.unverified': {
      actions: apply('peer.unverified', ({ context, event }) => handle.askHello(context, event)),
    },
    'peer.hello': [
      {
        // A newer session of our own id: this one steps down.
        guard: { type: 'isNewerSelf', params: ({ event }: On<'peer.hello'>) => event.message },
        target: '#meeting.leaving',
        actions: goodbye('leave', 'duplicate'),
      },
      { actions: apply('peer.hello', ({ context, event }) => handle.helloFrom(context, event, announce)) },
    ],
    'peer.heartbeat': [
      // From a session present on its own link, the common case: only its liveness changes, one assign.
      {
        guard: { type: 'isPresentOnLink', params: heartbeat },
        actions: { type: 'hearAlive', params: heartbeat },
      },
      { actions: apply('peer.heartbeat', ({ context, event }) => handle.heard(context, event)) },
    ],
    // A remote participant leaves: removed from the roster (told to the app once joined) and confirmed.
    'peer.leave': {
      actions: apply('peer.leave', ({ context, event }) => handle.leaveFrom(context, event, announce)),
    },
    'peer.ack': { actions: apply('peer.ack', ({ context, event }) => command.ackHeard(context, event)) },
    'peer.media': {
      actions: apply('peer.media', ({ context, event }) => media.mediaFrom(context, event, announce)),
    },
    'peer.end': [
      {
        guard: { type: 'isFromHost', params: endCommand },
        target: '#meeting.leaving',
        actions: apply('peer.end', ({ context, event }) =>
          command.obeyCommand(context, event.message, announce),
        ),
      },
      {
        actions: apply('peer.end', ({ context, event }) =>
          command.reportUnauthorized(context, event.linkId, event.message),
        ),
      },
    ],
    'peer.remove': [
      { guard: { type: 'isSeenCommand', params: removeCommand } },
      {
        guard: { type: 'isHostRemovingMe', params: removeCommand },
        target: '#meeting.leaving',
        actions: apply('peer.remove', ({ context, event }) =>
          command.obeyCommand(context, event.message, announce),
        ),
      },
      {
        guard: { type: 'isFromHost', params: removeCommand },
        actions: apply('peer.remove', ({ context, event }) =>
          command.obeyCommand(context, event.message, announce),
        ),
      },
      {
        actions: apply('peer.remove', ({ context, event }) =>
          command.reportUnauthorized(context, event.linkId, event.message),
        ),
      },
    ],
  }) as const
