import {
  type LinkId,
  type MemoryNetwork,
  PROTOCOL_VERSION,
  type TransportEvent,
  type TransportSession,
  type WireMessage,
} from '../../src/index.js'

export interface OpenedSession {
  readonly sessionId: string
  readonly session: TransportSession
  /** Every event received, in order. */
  readonly events: TransportEvent[]
  /** `[linkId, seq]` of every message received, in order. */
  received(): Array<[LinkId, unknown]>
  /** Sends a heartbeat with this sequence number, to one link or to everyone. */
  beat(seq: number, to?: LinkId): void
  close(): void
}

export function heartbeat(session: string, seq: number): WireMessage {
  return { v: PROTOCOL_VERSION, type: 'heartbeat', session, seq }
}

/** Opens a session and records what it receives; `onEvent` runs inside the observer, synchronously. */
export function openSession(
  network: MemoryNetwork,
  meetingId: string,
  participantId: string,
  options: { sessionId?: string; onEvent?: (event: TransportEvent, session: TransportSession) => void } = {},
): OpenedSession {
  const sessionId = options.sessionId ?? `${participantId}@${meetingId}`
  const session = network.transport().session({ meetingId, participantId, sessionId })
  const events: TransportEvent[] = []
  const subscription = session.events.subscribe({
    next: (event) => {
      events.push(event)
      options.onEvent?.(event, session)
    },
  })
  return {
    sessionId,
    session,
    events,
    received: () =>
      events.flatMap((event) =>
        event.type === 'message'
          ? [[event.linkId, (event.data as { seq?: unknown }).seq] as [LinkId, unknown]]
          : [],
      ),
    beat: (seq, to) => session.send(heartbeat(sessionId, seq), to),
    close: () => subscription.unsubscribe(),
  }
}
