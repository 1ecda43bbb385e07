import type { MeetingError } from '../MeetingError.js'
import type { Meeting } from '../types.js'

/** One participant's meeting and everything it was told, in order. */
export interface Person {
  readonly id: string
  readonly meeting: Meeting
  /**
   * What it was told: `meeting-joined`, `meeting-left:<reason>`, `participant-joined:<id>`,
   * `participant-left:<id>:<reason>`, `state:<MeetingState>`, `error:<code>`.
   */
  readonly told: string[]
  /** Errors it may report without failing the scenario (none unless a scenario says so). */
  allow(errors: (error: MeetingError) => boolean): void
  /** Stops judging it: it crashed, its tab closed, it is an intruder. */
  ignore(): void
  /** The ids of the remote participants it sees, sorted. */
  roster(): string[]
}

/**
 * `meeting` as a scenario's participant: every event it is told recorded in order, and each error
 * event it is not allowed passed to `unexpected` while it is judged.
 */
export function recordPerson(id: string, meeting: Meeting, unexpected: (line: string) => void): Person {
  let judged = true
  let allowed = (_: MeetingError) => false
  const told: string[] = []
  meeting.on('meeting-joined', () => told.push('meeting-joined'))
  meeting.on('meeting-left', ({ reason }) => told.push(`meeting-left:${reason}`))
  meeting.on('participant-joined', (p) => told.push(`participant-joined:${p.id}`))
  meeting.on('participant-left', (p, { reason }) => told.push(`participant-left:${p.id}:${reason}`))
  meeting.on('meeting-state-changed', ({ state }) => told.push(`state:${state}`))
  meeting.on('error', (error) => {
    told.push(`error:${error.code}`)
    if (judged && !allowed(error)) unexpected(`${id}: ${error.code} (${error.message})`)
  })
  return {
    id,
    meeting,
    told,
    allow: (errors) => {
      allowed = errors
    },
    ignore: () => {
      judged = false
    },
    roster: () => [...meeting.participants.keys()].sort(),
  }
}
