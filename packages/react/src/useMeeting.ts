import type { Meeting, MeetingSnapshot } from '@convene/core'
import { useCallback, useMemo, useSyncExternalStore } from 'react'
import { useMeetingFromContext } from './MeetingContext.js'
import { type MeetingCallbacks, useMeetingEvents } from './useMeetingEvents.js'

/** `useMeeting`'s argument: VideoSDK's event callbacks. */
export type UseMeetingOptions = MeetingCallbacks

/** `useMeeting`'s result: VideoSDK's names, read from the core snapshot. */
export interface UseMeetingResult {
  /** Joins; idempotent while joining or joined; after the session ended it starts a fresh one. */
  join: () => Promise<void>
  /** Leaves; others stay. Idempotent; before join a no-op; while joining it cancels the join. */
  leave: () => Promise<void>
  /** Ends the meeting for everyone. Rejects `NOT_JOINED` or `END_NOT_ALLOWED` (see `canEnd`). */
  end: () => Promise<void>
  /** Host only: removes a participant for everyone. */
  removeParticipant: (participantId: string) => Promise<void>
  meetingId: MeetingSnapshot['meetingId']
  localParticipant: MeetingSnapshot['localParticipant']
  /** Remote participants by id; a new `Map` only when the roster changed. */
  participants: MeetingSnapshot['participants']
  meetingState: MeetingSnapshot['meetingState']
  isHost: MeetingSnapshot['isHost']
  canEnd: MeetingSnapshot['canEnd']
  /** The statechart's top-level state, finer than `meetingState`. */
  status: MeetingSnapshot['status']
  /** Why the last session ended, or `null`. */
  endReason: MeetingSnapshot['endReason']
  /** The local camera/microphone stream, when the transport acquired one. */
  localStream: MeetingSnapshot['localStream']
}

/**
 * VideoSDK's `useMeeting`, over the meeting of the nearest `<MeetingProvider>`. Re-renders on every
 * snapshot change; use `useMeetingSelector` to re-render for less.
 */
export function useMeeting(callbacks?: UseMeetingOptions): UseMeetingResult {
  const meeting = useMeetingFromContext('useMeeting')
  const subscribe = useCallback((onChange: () => void) => meeting.subscribe(onChange), [meeting])
  const getSnapshot = useCallback(() => meeting.getSnapshot(), [meeting])
  const snapshot = useSyncExternalStore(subscribe, getSnapshot, getSnapshot)
  useMeetingEvents(meeting, callbacks)
  const actions = useMemo(() => bindActions(meeting), [meeting])

  return {
    ...actions,
    meetingId: snapshot.meetingId,
    localParticipant: snapshot.localParticipant,
    participants: snapshot.participants,
    meetingState: snapshot.meetingState,
    isHost: snapshot.isHost,
    canEnd: snapshot.canEnd,
    status: snapshot.status,
    endReason: snapshot.endReason,
    localStream: snapshot.localStream,
  }
}

type MeetingActions = Pick<UseMeetingResult, 'join' | 'leave' | 'end' | 'removeParticipant'>

function bindActions(meeting: Meeting): MeetingActions {
  return {
    join: () => observed(meeting.join()),
    leave: () => observed(meeting.leave()),
    end: () => observed(meeting.end()),
    removeParticipant: (participantId) => observed(meeting.removeParticipant(participantId)),
  }
}

// VideoSDK's buttons call `end()` without awaiting it. Marking the promise as observed keeps a refused
// `end()` from surfacing as an unhandled rejection; a caller that awaits it still gets the MeetingError.
function observed(promise: Promise<void>): Promise<void> {
  promise.catch(() => {})
  return promise
}
