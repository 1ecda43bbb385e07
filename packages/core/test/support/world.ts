import { vi } from 'vitest'
import {
  type CreateMeetingOptions,
  createMeeting,
  createMemoryNetwork,
  type Meeting,
  type MemoryNetworkOptions,
  type ParticipantRole,
} from '../../src/index.js'

export interface Person {
  meeting: Meeting
  /** Everything this participant was told, in order, as `event:detail` strings. */
  told: string[]
}

/** A memory network plus participants whose every event is recorded; time is fake and driven by `advance`. */
export function createWorld(options: MemoryNetworkOptions & { meetingId?: string } = {}) {
  const network = createMemoryNetwork({ seed: 1, ...options })
  let sessions = 0
  const people: Record<string, Person> = {}

  function person(
    id: string,
    role: ParticipantRole = 'participant',
    extra: Partial<CreateMeetingOptions> = {},
  ): Person {
    const meeting = createMeeting({
      meetingId: options.meetingId ?? 'standup',
      participant: { id, name: id.toUpperCase(), role },
      transport: network.transport(),
      createSessionId: () => `${id}#${++sessions}`,
      now: () => Date.now() + sessions,
      ...extra,
    })
    const told: string[] = []
    meeting.on('meeting-joined', () => told.push('meeting-joined'))
    meeting.on('meeting-left', ({ reason }) => told.push(`meeting-left:${reason}`))
    meeting.on('participant-joined', (p) => told.push(`participant-joined:${p.id}`))
    meeting.on('participant-left', (p, { reason }) => told.push(`participant-left:${p.id}:${reason}`))
    meeting.on('error', (error) => told.push(`error:${error.code}`))
    const created = { meeting, told }
    people[id] = created
    return created
  }

  async function advance(ms = 0) {
    await vi.advanceTimersByTimeAsync(ms)
  }

  /** Joins each in turn, letting the network settle between joins. */
  async function joinAll(...persons: Person[]) {
    for (const p of persons) {
      const joined = p.meeting.join()
      await advance(50)
      await joined
    }
    await advance(50)
  }

  return { network, person, advance, joinAll, people }
}

export const ids = (meeting: Meeting) => [...meeting.participants.keys()].sort()
