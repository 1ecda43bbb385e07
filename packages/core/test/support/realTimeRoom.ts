import { expect, vi } from 'vitest'
import {
  type CreateMeetingOptions,
  createMeeting,
  type Meeting,
  type ParticipantRole,
  type Transport,
} from '../../src/index.js'

export interface RealTimeRoomOptions {
  /** Participant ids in join order; the first is the host. */
  ids: readonly string[]
  transportFor: (id: string) => Transport
  /** More options per participant (auth, timings). */
  extra?: (id: string, role: ParticipantRole) => Partial<CreateMeetingOptions>
  /** Disposed by the caller's `afterEach`. */
  meetings: Meeting[]
}

const roster = (m: Meeting) => [...m.participants.keys()].sort()

/**
 * A meeting of real timers whose departures and errors are recorded per participant as
 * `meeting-left:reason`, `participant-left:id:reason` and `error:code`; resolves once every roster
 * holds everyone else.
 */
export async function realTimeRoom({ ids, transportFor, extra, meetings }: RealTimeRoomOptions) {
  const told: Record<string, string[]> = {}
  const people = ids.map((id, i) => {
    const role: ParticipantRole = i === 0 ? 'host' : 'participant'
    const meeting = createMeeting({
      meetingId: 'standup',
      participant: { id, role },
      transport: transportFor(id),
      createSessionId: () => `${id}-${Math.random().toString(36).slice(2, 10)}`,
      ...extra?.(id, role),
    })
    const lines: string[] = []
    told[id] = lines
    meeting.on('meeting-left', ({ reason }) => lines.push(`meeting-left:${reason}`))
    meeting.on('participant-left', (p, { reason }) => lines.push(`participant-left:${p.id}:${reason}`))
    meeting.on('error', (error) => lines.push(`error:${error.code}`))
    meetings.push(meeting)
    return meeting
  })
  for (const meeting of people) await meeting.join()
  for (const [i, meeting] of people.entries()) {
    await vi.waitFor(() => expect(roster(meeting)).toEqual(ids.filter((_, j) => j !== i).sort()), {
      timeout: 10_000,
    })
  }
  return { people, told }
}
