import type { VerifiedIdentity } from './auth/verifyHelloToken.js'
import { authRequired, type EndReason, type MeetingContext } from './context.js'
import { MeetingError } from './MeetingError.js'
import { depart, greet, hear, isNewerSession, presentSessions, sweep } from './membership.js'
import { PersistentMap } from './PersistentMap.js'
import {
  type EndMessage,
  type HelloMessage,
  parseWireMessage,
  type RemoveMessage,
  type WireMessage,
} from './protocol.js'
import type { LinkId } from './transport.js'
import type { MeetingMediaStream } from './types.js'
import { beginWork, type MessageBody, send, sendHello, type Work } from './work.js'

// Each handler is a pure function of the context and one event, returning the Work to commit.

export type PeerEvent = {
  [TType in WireMessage['type']]: {
    type: `peer.${TType}`
    linkId: LinkId
    message: Extract<WireMessage, { type: TType }>
  }
}[WireMessage['type']]

// What a peer or transport throws is untrusted too: `String()` itself throws on a null-prototype object
// or a throwing `toString`, and a throw here would take the whole meeting down.
function printable(value: unknown): string {
  try {
    return String(value)
  } catch {
    return `an unprintable ${typeof value}`
  }
}

/** Validates an inbound message; a bad one becomes an `error` emit and changes nothing else. */
export function receive(
  context: MeetingContext,
  event: {
    linkId: LinkId
    data: unknown
    identity?: VerifiedIdentity
    refused?: MeetingError
    unverified?: true
    at?: number
  },
  phase: Phase,
): Received {
  const { linkId } = event
  // While leaving the app has heard meeting-left already, and nothing may reach it after that.
  const refuse = (error: MeetingError) => ({
    work: { ctx: context, emits: phase.leaving ? [] : [{ type: 'error' as const, error }], sends: [] },
  })
  if (event.refused) return refuse(event.refused)
  let message: WireMessage
  try {
    message = parseWireMessage(event.data, linkId)
  } catch (error) {
    return refuse(
      error instanceof MeetingError ? error : MeetingError.invalidMessage(printable(error), { linkId }),
    )
  }
  if (message.session === context.local.sessionId) return { work: { ctx: context, emits: [], sends: [] } }
  if (event.unverified) {
    // Heard on a channel that has not proved who speaks on it (its hello was lost, or someone else
    // holds the address now): nothing it says counts until a hello proves it on that very channel.
    const work = beginWork(context)
    if (!context.departed.get(message.session)?.final) sendHello(work, linkId, true)
    return { work }
  }
  if (authRequired(context)) {
    const refusal = authorize(context, linkId, message, event.identity)
    if (refusal) return refuse(refusal)
    if (message.type === 'hello' && event.identity) {
      message = { ...message, participant: { ...message.participant, role: event.identity.role } }
    }
  }
  const work = beginWork(context)
  // Commands are judged by their guards first: an unauthorized one must not even count as a sign of life.
  if (message.type !== 'end' && message.type !== 'remove') hear(work, linkId, message, event.at)
  // Only a message that may change the meeting's state is raised as a `peer.*` event for the statechart
  // to judge; the rest is handled right here, saving the extra statechart step a raised event costs on
  // the most frequent messages (heartbeats, hellos, leaves).
  switch (message.type) {
    case 'heartbeat':
      return { work }
    case 'leave':
      // Even while leaving: someone leaving at the same time as us is confirmed, so neither waits.
      departed(work, linkId, message, phase.announce)
      return { work }
    case 'ack':
      if (phase.leaving) acknowledgedInto(work, message.session)
      return { work }
    case 'hello':
      if (phase.leaving) return { work }
      if (isNewerSelf(context, message)) return { work, peerEvent: { type: 'peer.hello', linkId, message } }
      helloInto(work, linkId, message, phase.announce, event.at)
      return { work }
    default:
      if (phase.leaving) return { work }
      return { work, peerEvent: { type: `peer.${message.type}`, linkId, message } as PeerEvent }
  }
}

/** A received message's Work, and the event the statechart must judge itself, if any. */
export interface Received {
  work: Work
  peerEvent?: PeerEvent
}

/** Where a message is heard: whether arrivals and departures are announced, and whether we are leaving. */
export interface Phase {
  announce: boolean
  leaving: boolean
}

/** A hello of a newer session of our own participant id: this one must step down. */
export function isNewerSelf(context: MeetingContext, message: HelloMessage): boolean {
  return (
    message.participant.id === context.local.id &&
    message.meetingId === context.setup.meetingId &&
    isNewerSession(message, { joinedAt: context.joinedAt, session: context.local.sessionId })
  )
}

/** With auth on: a hello must carry its verified identity, and a known session speaks only on its own link. */
function authorize(
  context: MeetingContext,
  linkId: LinkId,
  message: WireMessage,
  identity: VerifiedIdentity | undefined,
): MeetingError | null {
  const fail = (why: string) =>
    new MeetingError('AUTH_FAILED', `Refused a message: ${why}.`, { details: { linkId } })
  if (message.type === 'hello') {
    return identity?.participantId === message.participant.id ? null : fail('hello without a verified token')
  }
  const presence = context.presence.get(message.session)
  if (presence !== undefined && presence.linkId !== linkId) {
    return fail(`session "${message.session}" speaking on another session's link`)
  }
  return null
}

export function expectPeers(context: MeetingContext, peers: readonly LinkId[]): Work {
  const work = beginWork(context)
  let expected = PersistentMap.empty<LinkId, true>()
  for (const linkId of peers) if (!context.links.has(linkId)) expected = expected.set(linkId, true)
  work.ctx.expected = expected
  return work
}

export function linkUp(context: MeetingContext, linkId: LinkId): Work {
  const work = beginWork(context)
  sendHello(work, linkId, false)
  return work
}

export function linkDown(context: MeetingContext, linkId: LinkId): Work {
  const work = beginWork(context)
  // Not a departure: the session may come back on another link; heartbeats decide.
  work.ctx.links = context.links.delete(linkId)
  if (context.expected !== null) work.ctx.expected = context.expected.delete(linkId)
  return work
}

function helloInto(
  work: Work,
  linkId: LinkId,
  message: HelloMessage,
  announce: boolean,
  at: number | undefined,
): void {
  if (message.participant.id === work.ctx.local.id) {
    // An older session of our own id: tell it about us so it steps down.
    sendHello(work, linkId, false)
    return
  }
  greet(work, linkId, message, announce, at)
}

function departed(work: Work, linkId: LinkId, message: WireMessage, announce: boolean): void {
  depart(work, message.session, 'left', { final: true, announce })
  // Confirm even for sessions we never knew, so the leaver does not wait for us.
  send(work, { type: 'ack', ackOf: 'leave' }, linkId)
}

function acknowledgedInto(work: Work, session: string): void {
  const { goodbye } = work.ctx
  if (goodbye !== null) work.ctx.goodbye = { ...goodbye, awaiting: goodbye.awaiting.delete(session) }
}

function commandKey(message: EndMessage | RemoveMessage): string {
  return `${message.origin}:${message.seq}`
}

/** A REMOVE for us: our participant id, and this session of ours (not an earlier one). */
export function targetsMe(context: MeetingContext, message: RemoveMessage): boolean {
  return (
    message.target === context.local.id &&
    (message.targetSession === undefined || message.targetSession === context.local.sessionId)
  )
}

export function isSeenCommand(context: MeetingContext, message: EndMessage | RemoveMessage): boolean {
  return context.seenCommands.has(commandKey(message))
}

export function isFromHost(context: MeetingContext, message: EndMessage | RemoveMessage): boolean {
  // With verified identities a command counts only straight from the host, never relayed: a relayer
  // could put any origin on it, and only the origin's own link is bound to a verified token.
  if (authRequired(context) && message.origin !== message.session) return false
  const origin = context.presence.get(message.origin)
  if (origin === undefined) return context.departed.get(message.origin)?.role === 'host'
  return context.members.get(origin.participantId)?.role === 'host'
}

/**
 * Obeys a host's END or REMOVE once: confirm, pass it on (without auth), apply.
 *
 * Passing a command on makes one lost copy lose nothing, but only where a copy that did not come from
 * its origin can be obeyed. With auth it never can (only the host's own link is bound to its token),
 * so a relayed copy would buy nothing and cost N² messages, each refused and reported as an attack at
 * every receiver. There, the host's own retransmissions (until each peer acks, or `leaveTimeoutMs`)
 * stand in for the relay, and any command heard on another session's link is a real anomaly.
 */
export function obeyCommand(
  context: MeetingContext,
  linkId: LinkId,
  message: EndMessage | RemoveMessage,
  announce: boolean,
): Work {
  const work = beginWork(context)
  work.ctx.seenCommands = context.seenCommands.set(commandKey(message), true)
  const relay = !authRequired(context)
  if (message.type === 'end') {
    send(work, { type: 'ack', ackOf: 'end' }, linkId)
    if (relay) work.sends.push({ message })
    work.ctx.leaveReason ??= 'ended'
    return work
  }
  if (relay) work.sends.push({ message })
  if (targetsMe(context, message)) {
    work.ctx.leaveReason ??= 'removed'
    return work
  }
  const target = context.members.get(message.target)
  if (target !== undefined && (message.targetSession ?? target.sessionId) === target.sessionId) {
    depart(work, target.sessionId, 'removed', { final: true, announce, removal: message })
  }
  return work
}

export function reportUnauthorized(
  context: MeetingContext,
  linkId: LinkId,
  message: EndMessage | RemoveMessage,
): Work {
  const error = new MeetingError(
    'UNAUTHORIZED_COMMAND',
    `Ignored ${message.type.toUpperCase()} from session "${message.origin}", which is not a host in this meeting.`,
    { details: { linkId } },
  )
  return { ctx: context, emits: [{ type: 'error', error }], sends: [] }
}

export function removeRemote(context: MeetingContext, participantId: string): Work {
  const work = beginWork(context)
  const target = context.members.get(participantId)
  if (target === undefined) return work
  const origin = context.local.sessionId
  work.ctx.seenCommands = context.seenCommands.set(`${origin}:${work.ctx.seq}`, true)
  send(work, { type: 'remove', origin, target: participantId, targetSession: target.sessionId })
  const removal = work.sends.at(-1)?.message as RemoveMessage
  depart(work, target.sessionId, 'removed', { final: true, announce: true, removal })
  return work
}

/**
 * Decides on a goodbye: LEAVE or END, to wait (with resends) for each present session to confirm.
 * Sent on entering `leaving` (`sendGoodbye`), after the app has been told it is out.
 */
export function prepareGoodbye(context: MeetingContext, kind: 'leave' | 'end', reason: EndReason): Work {
  const work = beginWork(context)
  work.ctx.leaveReason ??= reason
  work.ctx.goodbye = { kind, awaiting: presentSessions(work) }
  return work
}

const goodbyeBody = (context: MeetingContext, kind: 'leave' | 'end'): MessageBody =>
  kind === 'end' ? { type: 'end', origin: context.local.sessionId } : { type: 'leave' }

/** The first goodbye goes to every open link, also to sessions whose hello is still on its way. */
export function sendGoodbye(context: MeetingContext): Work {
  const work = beginWork(context)
  if (context.goodbye !== null) send(work, goodbyeBody(context, context.goodbye.kind))
  return work
}

export function resendGoodbye(context: MeetingContext): Work {
  const work = beginWork(context)
  const goodbye = context.goodbye
  if (goodbye === null) return work
  const body = goodbyeBody(context, goodbye.kind)
  for (const [sessionId] of goodbye.awaiting.entries()) {
    const presence = context.presence.get(sessionId)
    if (presence !== undefined) send(work, body, presence.linkId)
  }
  return work
}

/** One beat of the heartbeat clock: say we are alive, then declare the silent ones gone. */
export function heartbeat(context: MeetingContext): Work {
  const work = beginWork(context)
  work.ctx.tick = context.tick + 1
  send(work, { type: 'heartbeat' })
  sweep(work)
  return work
}

/**
 * A beat while joining: say we are alive to whoever may already see us. The clock (and so the sweep)
 * stands still until joined: departures found while joining would only be silent ones anyway.
 */
export function joiningBeat(context: MeetingContext): Work {
  const work = beginWork(context)
  send(work, { type: 'heartbeat' })
  return work
}

export function remoteMedia(context: MeetingContext, linkId: LinkId, stream: unknown): Work {
  const work = beginWork(context)
  const sessionId = context.links.get(linkId)
  const presence = sessionId === undefined ? undefined : context.presence.get(sessionId)
  const participant = presence === undefined ? undefined : context.members.get(presence.participantId)
  if (participant === undefined || participant.stream === stream) return work
  // The transport's stream, passed on untouched: the public type states what a transport hands over.
  const updated = { ...participant, stream: stream as MeetingMediaStream | null }
  work.ctx.members = context.members.set(participant.id, updated)
  work.ctx.rosterVersion += 1
  work.emits.push({ type: 'participant-media-changed', participant: updated })
  return work
}

export function transportError(context: MeetingContext, error: unknown, fatal: boolean): Work {
  const reported =
    error instanceof MeetingError
      ? error
      : new MeetingError(
          'TRANSPORT_ERROR',
          `Transport failure${fatal ? ' (fatal)' : ''}: ${printable(error)}`,
          {
            cause: error,
          },
        )
  return { ctx: context, emits: [{ type: 'error', error: reported }], sends: [] }
}
