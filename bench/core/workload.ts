import { PROTOCOL_VERSION } from '@convene/core'

/** What a transport hands core for one inbound message, before validation. */
export interface InboundMessage {
  type: 'transport.message'
  linkId: string
  data: unknown
}

export const MEETING_ID = 'bench'

const hello = (session: string, id: string) => ({
  v: PROTOCOL_VERSION,
  session,
  seq: 0,
  type: 'hello',
  meetingId: MEETING_ID,
  participant: { id, name: id, role: 'participant' },
  joinedAt: 1,
  heartbeatIntervalMs: 1000,
})

/**
 * Remote participants coming and going: each round is one join (a new session's hello), one heartbeat
 * from a participant already in, and one leave of the longest-present participant, so the roster stays
 * at N. Every message is valid and built before any clock starts; the implementations under test all
 * receive the very same objects, as a transport would hand them over after JSON.parse.
 */
export class Workload {
  private readonly present: string[] = []
  private head = 0
  private nextSession = 0
  private seq = 1

  /** The hellos that bring the roster to `size`. */
  preload(size: number): InboundMessage[] {
    const events: InboundMessage[] = []
    for (let i = 0; i < size; i++) events.push(this.join())
    return events
  }

  /** `rounds` rounds of join, heartbeat, leave: 3 events each. */
  rounds(rounds: number): InboundMessage[] {
    const events: InboundMessage[] = []
    for (let r = 0; r < rounds; r++) {
      events.push(this.join())
      const size = this.present.length - this.head
      // A multiplicative hash picks who beats, so heartbeats land all over the roster, not on one entry.
      const who = this.present[this.head + ((r * 2_654_435_761) % size)] as string
      events.push(this.message(who, { type: 'heartbeat' }))
      const leaver = this.present[this.head] as string
      this.head += 1
      events.push(this.message(leaver, { type: 'leave' }))
    }
    // Keep the queue from growing without bound over long runs.
    if (this.head > 100_000) {
      this.present.splice(0, this.head)
      this.head = 0
    }
    return events
  }

  /** Sessions present now, oldest first. */
  presentSessions(): string[] {
    return this.present.slice(this.head)
  }

  private join(): InboundMessage {
    const n = this.nextSession++
    const session = `s${n}`
    this.present.push(session)
    return { type: 'transport.message', linkId: session, data: hello(session, `p${n}`) }
  }

  private message(session: string, body: { type: string }): InboundMessage {
    const data = { v: PROTOCOL_VERSION, session, seq: this.seq++, ...body }
    return { type: 'transport.message', linkId: session, data }
  }
}

export const participantIdOf = (session: string) => `p${session.slice(1)}`
