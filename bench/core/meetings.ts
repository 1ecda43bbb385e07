import {
  createMeeting,
  type Meeting,
  meetingMachine,
  type Observer,
  type Transport,
  type TransportEvent,
} from '@convene/core'
import { fromCallback } from 'xstate'
import { MEETING_ID, Workload } from './workload.js'

export { Workload } from './workload.js'

export interface PipeMeeting {
  meeting: Meeting
  /** Hands the meeting one transport event, as a transport would. */
  push(event: TransportEvent): void
}

/** Timings long enough that nobody is declared gone while a measurement holds meetings in memory. */
export const QUIET = { heartbeatIntervalMs: 600_000, departureTimeoutMs: 3_600_000 }

let warned = false

/** A meeting created by the public facade over a transport that is only a pipe (sends go nowhere). */
export function pipeMeeting(id: string, timing: Partial<typeof QUIET> = QUIET): PipeMeeting {
  let observer: Observer<TransportEvent> | undefined
  const transport: Transport = {
    name: 'bench-pipe',
    session: () => ({
      events: {
        subscribe(next) {
          observer = next
          return { unsubscribe: () => {} }
        },
      },
      send: () => {},
    }),
  }
  const warn = console.warn
  if (!warned) console.warn = () => {} // the once-per-process warning about self-declared roles
  const meeting = createMeeting({
    meetingId: MEETING_ID,
    participant: { id, role: 'host' },
    transport,
    ...timing,
  })
  console.warn = warn
  warned = true
  return { meeting, push: (event) => observer?.next?.(event) }
}

/** Joins a pipe meeting and lets `participants` remote participants say hello. */
export async function joinWith(pipe: PipeMeeting, participants: number): Promise<void> {
  const joined = pipe.meeting.join()
  pipe.push({ type: 'ready', peers: [] })
  await joined
  for (const event of new Workload().preload(participants)) {
    pipe.push({ type: 'message', linkId: event.linkId, data: event.data })
  }
  if (pipe.meeting.participants.size !== participants) throw new Error('roster did not fill')
}

/** A machine re-provided with a session: what `createMeeting` built per meeting before the redesign. */
export function providedMachine(): unknown {
  return meetingMachine.provide({ actors: { session: fromCallback(() => {}) as never } })
}
