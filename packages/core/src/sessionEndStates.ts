import { and, assign, sendTo, stopChild } from 'xstate'
import { type MeetingContext, nextSession } from './context.js'
import * as bye from './goodbyes.js'
import * as handle from './handlers.js'
import { statechart } from './statechartSetup.js'
import { apply, type StatechartEvent, update } from './transitions.js'

// How a session ends: `leaving` (the app is out at once, the goodbye is delivered behind the scenes)
// and `ended` (not the end of the meeting: a JOIN starts the next session).

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

export const leaving = statechart.createStateConfig({
  // For the app the session is over on entering: leave() and end() resolve and meeting-left fires
  // now, not after the acks, however slow the network or the machine. The goodbye goes out after
  // that, so the one who leaves is told before anyone else.
  entry: ['closeForApp', update(({ context }) => bye.sendGoodbye(context))],
  initial: 'awaitingAcks',
  states: {
    awaitingAcks: {
      always: { guard: 'allAcked', target: 'draining' },
      after: {
        retransmit: {
          target: 'awaitingAcks',
          reenter: true,
          actions: update(({ context }) => bye.resendGoodbye(context)),
        },
      },
    },
    draining: {
      entry: sendTo('session', { type: 'drain' }),
      on: { 'session.drained': '#meeting.ended' },
      after: { drainTimeout: '#meeting.ended' },
    },
  },
  after: {
    leaveTimeout: 'ended',
    // The goodbye goes on until confirmed (a lagging link may take seconds to carry it), but a join()
    // waits for it no longer than `rejoinWaitMs`: one made before then starts now, any later one at once.
    rejoinWait: [
      { guard: 'rejoinPending', target: 'ended' },
      { actions: assign({ session: ({ context }) => ({ ...context.session, rejoinCutsGoodbye: true }) }) },
    ],
  },
  on: {
    // Acks count here, and someone leaving at the same time as us is confirmed, so neither waits.
    // The app is out: nothing reaches it any more (no errors, no arrivals, no commands).
    'peer.ack': { actions: apply('peer.ack', ({ context, event }) => bye.ackFrom(context, event)) },
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
    // Who the server lists now: a session back on it that we do not count present is owed our goodbye.
    'transport.signalling-presence': {
      actions: apply('transport.signalling-presence', ({ context, event }) =>
        bye.listedWhileLeaving(context, event),
      ),
    },
    // Someone gone meanwhile is not waited for (and, the app being out, not announced).
    'presence.gone': {
      actions: apply('presence.gone', ({ context, event }) => handle.presenceGone(context, event, false)),
    },
    // A join while the goodbye is delivered: the next session starts once this one is out.
    JOIN: [
      {
        guard: 'rejoinCutsGoodbye',
        target: 'ended',
        actions: assign({ rejoin: ({ context, event }) => nextSession(context, event.session) }),
      },
      { actions: assign({ rejoin: ({ context, event }) => nextSession(context, event.session) }) },
    ],
  },
})

export const ended = statechart.createStateConfig({
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
})
