import type { MeetingError, MeetingLeftReason, MeetingState, Participant, Transport } from '@convene/core'
import { expectTypeOf, test } from 'vitest'
import {
  MeetingProvider,
  type MeetingProviderProps,
  type UseMeetingResult,
  useMeeting,
  useMeetingSelector,
  useParticipant,
} from '../src/index.js'

declare const transport: Transport

test('useMeetingSelector infers the selection', () => {
  expectTypeOf(useMeetingSelector((s) => s.meetingState)).toEqualTypeOf<MeetingState>()
  expectTypeOf(useMeetingSelector((s) => s.participants.size)).toEqualTypeOf<number>()
  useMeetingSelector(
    (s) => s.isHost,
    (a, b) => {
      expectTypeOf(a).toEqualTypeOf<boolean>()
      return a === b
    },
  )
})

test("useMeeting's callbacks and result carry core's types", () => {
  useMeeting({
    onMeetingLeft: (info) => expectTypeOf(info.reason).toEqualTypeOf<MeetingLeftReason>(),
    onParticipantLeft: (p, info) => {
      expectTypeOf(p).toEqualTypeOf<Participant>()
      expectTypeOf(info.reason).toEqualTypeOf<'left' | 'disconnected' | 'removed'>()
    },
    onError: (error) => expectTypeOf(error).toEqualTypeOf<MeetingError>(),
  })
  // @ts-expect-error there is no such callback
  useMeeting({ onMeetingEnded: () => {} })
  expectTypeOf<UseMeetingResult['end']>().toEqualTypeOf<() => Promise<void>>()
  expectTypeOf(useParticipant('bob').participant).toEqualTypeOf<Participant | undefined>()
})

test('MeetingProvider needs a meeting id, a participant and a transport', () => {
  expectTypeOf<MeetingProviderProps['joinOnMount']>().toEqualTypeOf<boolean | undefined>()
  ;<MeetingProvider config={{ meetingId: 'm', participant: { id: 'a' } }} transport={transport} />
  // @ts-expect-error transport is required
  ;<MeetingProvider config={{ meetingId: 'm', participant: { id: 'a' } }} />
  // @ts-expect-error the transport is a prop, not part of config
  ;<MeetingProvider config={{ meetingId: 'm', participant: { id: 'a' }, transport }} transport={transport} />
})
