import { expectTypeOf } from 'vitest'
import {
  createMeeting,
  createMemoryNetwork,
  type MeetingErrorCode,
  type MeetingLeftReason,
  type MeetingState,
  type Participant,
  type ParticipantLeftReason,
} from '../src/index.js'

// Checked by `npm run typecheck`: the event map gives every listener its exact signature.
const meeting = createMeeting({
  meetingId: 'standup',
  participant: { id: 'alice' },
  transport: createMemoryNetwork().transport(),
})
meeting.on('participant-left', (participant, info) => {
  expectTypeOf(participant).toEqualTypeOf<Participant>()
  expectTypeOf(info.reason).toEqualTypeOf<ParticipantLeftReason>()
})
meeting.on('meeting-left', ({ reason }) => expectTypeOf(reason).toEqualTypeOf<MeetingLeftReason>())
meeting.on('meeting-state-changed', ({ state }) => expectTypeOf(state).toEqualTypeOf<MeetingState>())
meeting.on('error', (error) => expectTypeOf(error.code).toEqualTypeOf<MeetingErrorCode>())
expectTypeOf(meeting.on('meeting-joined', () => {})).toEqualTypeOf<() => void>()
expectTypeOf(meeting.participants).toEqualTypeOf<ReadonlyMap<string, Participant>>()
// @ts-expect-error: not an event of the map
meeting.on('participant-exploded', () => {})
// @ts-expect-error: a participant-left listener gets the participant, not a string
meeting.on('participant-left', (id: number) => id)
