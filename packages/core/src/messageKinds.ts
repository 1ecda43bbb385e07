import {
  readAck,
  readEnd,
  readHeartbeat,
  readHello,
  readLeave,
  readMedia,
  readRemove,
} from './messageReaders.js'
import type { Delivery, WireEnvelope, WireMessage, WireMessageType } from './protocol.js'
import type { Fail } from './wire/fieldReaders.js'

/**
 * Every kind of message, in one table: how one is read (after the envelope) and how a session treats
 * it. `WireMessage`, `WireMessageType`, the parser, the statechart's `peer.*` events (`peerEvents.ts`)
 * and the flags below all come from here; a new kind is a new interface in `protocol.ts`, a reader and a new row.
 *
 * - `urgent`: sent at once, never queued behind a hello still being signed (a page being closed gets
 *   one synchronous chance to send its goodbye).
 * - `parting`: the sender is going, or confirming a goodbye: from a session we do not know it earns
 *   neither our hello nor a removal handed back.
 * - `delivery`: how the transport is asked to carry it (`Delivery`).
 * - `event`: the statechart event it becomes, one constant string: built per message, it would be a
 *   fresh string for XState to hash on every lookup of the transitions it takes.
 */
export const MESSAGE_KINDS = {
  hello: { event: 'peer.hello', read: readHello, urgent: false, parting: false, delivery: 'ordered' },
  heartbeat: {
    event: 'peer.heartbeat',
    read: readHeartbeat,
    urgent: false,
    parting: false,
    delivery: 'expendable',
  },
  leave: { event: 'peer.leave', read: readLeave, urgent: true, parting: true, delivery: 'vital' },
  ack: { event: 'peer.ack', read: readAck, urgent: true, parting: true, delivery: 'vital' },
  end: { event: 'peer.end', read: readEnd, urgent: true, parting: false, delivery: 'vital' },
  remove: { event: 'peer.remove', read: readRemove, urgent: false, parting: false, delivery: 'vital' },
  media: { event: 'peer.media', read: readMedia, urgent: false, parting: false, delivery: 'ordered' },
} as const satisfies { [M in WireMessage as M['type']]: MessageKind<M> }

export interface MessageKind<M extends WireEnvelope & { type: string } = WireEnvelope & { type: string }> {
  event: `peer.${M['type']}`
  read(raw: Record<string, unknown>, session: string, seq: number, fail: Fail): M
  urgent: boolean
  parting: boolean
  delivery: Delivery
}

/** How a session treats a kind of message (see the table). */
export const messageKind = (type: WireMessageType): MessageKind => MESSAGE_KINDS[type]

export const isKind = (type: unknown): type is WireMessageType =>
  typeof type === 'string' && Object.hasOwn(MESSAGE_KINDS, type)
