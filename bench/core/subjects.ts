// The statechart with its full types (the public export types its context as the package promises it):
// the bench drives it directly and reads its roster.

import { assign, createActor, enqueueActions, fromCallback, setup, spawnChild } from 'xstate'
import {
  type StatechartEvent as MeetingEvent,
  meetingMachine,
} from '../../packages/core/src/meetingMachine.js'
// The parse step the session actor runs before the statechart, once per message.
import { toPeerEvent } from '../../packages/core/src/peerEvents.js'
import { pipeMeeting } from './meetings.js'
import { type InboundMessage, MEETING_ID } from './workload.js'

export { participantIdOf, Workload } from './workload.js'

/** One implementation under test, joined and ready to receive remote participants' messages. */
export interface Subject {
  send(event: InboundMessage): void
  rosterSize(): number
  has(participantId: string): boolean
  /** One beat of the local heartbeat clock (heartbeat out, departure sweep), where there is one. */
  tick?(): void
}

export const timing = {
  tickMs: 1000,
  departureTimeoutMs: 3000,
  connectedDepartureTimeoutMs: 30_000,
  joinTimeoutMs: 15_000,
  leaveTimeoutMs: 10_000,
  reconnectTimeoutMs: 30_000,
  retransmitMs: 250,
  retransmitMaxMs: 1000,
  rejoinWaitMs: 1000,
}
const input = {
  meetingId: MEETING_ID,
  participant: { id: 'me', name: 'me', role: 'host' as const },
  timing,
  session: { sessionId: 'me-s', joinedAt: 1 },
}
// A clock that never fires: timers are not what is measured, and a heartbeat sweep must not run mid-loop.
const stoppedClock = { setTimeout: () => 0, clearTimeout: () => {} }
const idleSession = fromCallback(() => {})

/**
 * Convene's meetingMachine itself, as createMeeting runs it, with a session that sends nowhere. Each
 * message is parsed and typed first (`toPeerEvent`, what the session actor does), then is one step.
 */
export function conveneMachine(): Subject {
  const actor = createActor(meetingMachine.provide({ actors: { session: idleSession as never } }), {
    input,
    clock: stoppedClock,
  })
  actor.start()
  actor.send({ type: 'JOIN' })
  actor.send({ type: 'transport.ready', peers: [] })
  if (!actor.getSnapshot().matches('joined')) throw new Error('convene machine did not join')
  const tickEvent = { type: 'xstate.after.tick.meeting.joined.connected' } as unknown as MeetingEvent
  const self = { sessionId: input.session.sessionId, verified: false }
  return {
    send: (event) => {
      const peer = toPeerEvent(event, self)
      if (peer) actor.send(peer)
    },
    rosterSize: () => actor.getSnapshot().context.session.members.size,
    has: (id) => actor.getSnapshot().context.session.members.has(id),
    tick: () => actor.send(tickEvent),
  }
}

/**
 * The public createMeeting facade over a transport that is only a pipe: what an app runs, including
 * the public snapshot the facade derives after every change.
 */
export async function conveneFacade(): Promise<Subject> {
  // Default timings, as an app runs: the bench loop never waits long enough for a tick.
  const pipe = pipeMeeting('me', {})
  const { meeting } = pipe
  const joined = meeting.join()
  pipe.push({ type: 'ready', peers: [] })
  await joined
  let joins = 0
  meeting.on('participant-joined', () => {
    joins += 1
  })
  void joins
  return {
    send: (event) => pipe.push({ type: 'message', linkId: event.linkId, data: event.data }),
    rosterSize: () => meeting.participants.size,
    has: (id) => meeting.participants.has(id),
  }
}

type BareEvent =
  | { type: 'JOIN' }
  | { type: 'transport.ready' }
  | InboundMessage
  | { type: `peer.${string}`; linkId: string; message: { type: string; session: string } }

/**
 * The interpreter's floor: the same states, two transitions per message (receive, then the raised
 * peer event) and one assign per transition, but no validation and no roster. Convene took both
 * for every message until `receive` learned to handle hello, leave and ack itself; the target (≤1.5x) is
 * still measured against this floor, and `bare XState, 1 step` below shows the one-step floor too.
 */
const bareMachine = (raise: boolean, announce = false, protocol = false) =>
  setup({
    types: {
      context: {} as { events: number },
      events: {} as BareEvent,
      emitted: {} as { type: 'told'; linkId: string },
    },
    actors: { session: idleSession },
  }).createMachine({
    id: 'meeting',
    context: { events: 0 },
    initial: 'idle',
    states: {
      idle: { on: { JOIN: 'joining' } },
      joining: {
        entry: spawnChild('session', { id: 'session' }),
        initial: 'connecting',
        states: {
          connecting: { on: { 'transport.ready': 'greeting' } },
          greeting: { always: '#meeting.joined' },
        },
      },
      joined: {
        initial: 'connected',
        states: {
          connected: { after: { 1000: { target: 'connected', reenter: true } } },
          reconnecting: {},
        },
        on: {
          'transport.message': {
            actions: enqueueActions(({ event, enqueue }) => {
              const { linkId, data } = event as InboundMessage
              const message = data as { type: string; session: string }
              enqueue.assign({ events: ({ context }) => context.events + 1 })
              if (raise) enqueue.raise({ type: `peer.${message.type}`, linkId, message })
              if (announce) enqueue.emit({ type: 'told', linkId })
              // What a join or a leave must do beyond its step: tell the app, and answer the peer
              // (a hello back, an ACK) through the session actor.
              if (protocol && (message.type === 'hello' || message.type === 'leave')) {
                enqueue.emit({ type: 'told', linkId })
                enqueue.sendTo('session', { type: 'deliver', linkId })
              }
            }),
          },
          'peer.*': { actions: assign({ events: ({ context }) => context.events + 1 }) },
        },
      },
      leaving: {},
      ended: { type: 'final' },
    },
  })

export function bareXState(): Subject {
  return startBare(bareMachine(true))
}

function startBare(machine: ReturnType<typeof bareMachine>): Subject {
  const actor = createActor(machine, { clock: stoppedClock })
  actor.start()
  actor.send({ type: 'JOIN' })
  actor.send({ type: 'transport.ready' })
  if (!actor.getSnapshot().matches('joined')) throw new Error('bare machine did not join')
  return { send: (event) => actor.send(event), rosterSize: () => 0, has: () => false }
}

interface Member {
  id: string
  name: string
  session: string
  lastSeq: number
}

/** The physical floor: a switch over the message type and one mutable Map, no interpreter, no copies. */
export function plainReducer(): Subject {
  const members = new Map<string, Member>()
  const bySession = new Map<string, Member>()
  return {
    send(event) {
      const message = event.data as {
        type: string
        session: string
        seq: number
        participant?: { id: string; name: string }
      }
      if (typeof message !== 'object' || message === null || typeof message.session !== 'string') return
      switch (message.type) {
        case 'hello': {
          const p = message.participant
          if (p === undefined || bySession.has(message.session)) return
          const member = { id: p.id, name: p.name, session: message.session, lastSeq: message.seq }
          members.set(p.id, member)
          bySession.set(message.session, member)
          return
        }
        case 'heartbeat': {
          const member = bySession.get(message.session)
          if (member) member.lastSeq = message.seq
          return
        }
        case 'leave': {
          const member = bySession.get(message.session)
          if (!member) return
          bySession.delete(message.session)
          members.delete(member.id)
          return
        }
      }
    },
    rosterSize: () => members.size,
    has: (id) => members.has(id),
  }
}

// Diagnostic: the floor's machine, but with a context as wide as Convene's (22 fields) and each
// transition committing a full copy of it, as `beginWork` + `commit` do. The gap to the plain floor is
// what the context copies cost; the gap from here to Convene is validation, membership and sends.
const wideContext = () =>
  Object.fromEntries(Array.from({ length: 22 }, (_, i) => [`field${i}`, i])) as Record<string, number>
const wideMachine = setup({
  types: { context: {} as Record<string, number>, events: {} as BareEvent },
  actors: { session: idleSession },
}).createMachine({
  id: 'meeting',
  context: wideContext,
  initial: 'joined',
  states: {
    joined: {
      entry: spawnChild('session', { id: 'session' }),
      on: {
        'transport.message': {
          actions: enqueueActions(({ context, event, enqueue }) => {
            const { linkId, data } = event as InboundMessage
            const message = data as { type: string; session: string }
            const next = { ...context }
            next.field0 = (next.field0 as number) + 1
            enqueue.assign(next)
            enqueue.raise({ type: `peer.${message.type}`, linkId, message })
          }),
        },
        'peer.*': {
          actions: enqueueActions(({ context, enqueue }) => {
            const next = { ...context }
            next.field1 = (next.field1 as number) + 1
            enqueue.assign(next)
          }),
        },
      },
    },
  },
})

export function bareXStateWide(): Subject {
  const actor = createActor(wideMachine, { clock: stoppedClock })
  actor.start()
  return { send: (event) => actor.send(event), rosterSize: () => 0, has: () => false }
}

/**
 * Diagnostic: the floor's machine with one transition per message (one assign, no raise), which is
 * what Convene now takes for hellos, heartbeats and leaves: the least a statechart step costs here.
 */
export function bareXStateOneStep(): Subject {
  return startBare(bareMachine(false))
}

/**
 * Diagnostic: the one-step floor that also tells the app something on every message (one `emit`, no
 * listener), as Convene does for a join or a leave. What any action XState executes (emit, sendTo, a
 * custom action) costs on top of a step, beyond the call itself: see bench/README.md.
 */
export function bareXStateOneStepEmit(): Subject {
  return startBare(bareMachine(false, true))
}

/**
 * Diagnostic: the one-step floor plus the two actions the protocol asks of a join and of a leave (two
 * messages in three here), and nothing else: one `emit` (the app is told) and one `sendTo` the session
 * child (the hello back, the ACK). What is left between this row and the machine is Convene's own.
 */
export function bareXStateProtocol(): Subject {
  return startBare(bareMachine(false, false, true))
}
