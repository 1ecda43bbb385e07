import { randomUUID } from 'node:crypto'
import type { Transport, TransportEvent, TransportSession, Unsubscribable, WireMessage } from '@convene/core'

export interface OpenSession {
  readonly session: TransportSession
  readonly events: TransportEvent[]
  /** The links currently up, from link-up/link-down events. */
  readonly up: Set<string>
  /** This session's peer id, as the others' link ids name it (known once another session linked to it). */
  close(): void
  readonly closed: boolean
  ofType<TType extends TransportEvent['type']>(type: TType): Extract<TransportEvent, { type: TType }>[]
}

export function openSession(transport: Transport, meetingId: string, participantId: string): OpenSession {
  const session = transport.session({ meetingId, participantId, sessionId: randomUUID() })
  const events: TransportEvent[] = []
  const up = new Set<string>()
  let subscription: Unsubscribable | undefined
  let closed = false
  subscription = session.events.subscribe({
    next(event) {
      events.push(event)
      if (event.type === 'link-up') up.add(event.linkId)
      if (event.type === 'link-down') up.delete(event.linkId)
    },
  })
  return {
    session,
    events,
    up,
    get closed() {
      return closed
    },
    close() {
      closed = true
      subscription?.unsubscribe()
      subscription = undefined
    },
    ofType(type) {
      return events.filter((e) => e.type === type) as never
    },
  }
}

export async function waitFor(check: () => boolean, timeoutMs = 30_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let seq = 0
/** A well-formed heartbeat, as core would send it. */
export function heartbeat(session: string): WireMessage {
  seq += 1
  return { v: 1, type: 'heartbeat', session, seq }
}

/** The messages `receiver` got from `linkId`. */
export function messagesFrom(receiver: OpenSession, linkId: string): unknown[] {
  return receiver
    .ofType('message')
    .filter((m) => m.linkId === linkId)
    .map((m) => m.data)
}
