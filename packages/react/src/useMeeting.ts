import type { Meeting, MeetingSnapshot } from '@convene/core'
import { useCallback, useMemo, useState, useSyncExternalStore } from 'react'
import { useMeetingFromContext } from './MeetingContext.js'
import { fieldOf, type MeetingFields, trackFields } from './trackFields.js'
import { type MeetingCallbacks, useMeetingEvents } from './useMeetingEvents.js'

/** `useMeeting`'s argument: VideoSDK's event callbacks. */
export type UseMeetingOptions = MeetingCallbacks

/** `useMeeting`'s result: VideoSDK's names, read from the core snapshot. */
export interface UseMeetingResult extends MeetingFields {
  /** Joins; idempotent while joining or joined; after the session ended it starts a fresh one. */
  join: () => Promise<void>
  /** Leaves; others stay. Idempotent; before join a no-op; while joining it cancels the join. */
  leave: () => Promise<void>
  /** Ends the meeting for everyone. Rejects `NOT_JOINED` or `END_NOT_ALLOWED` (see `canEnd`). */
  end: () => Promise<void>
  /** Host only: removes a participant for everyone. */
  removeParticipant: (participantId: string) => Promise<void>
  /**
   * Turns the local microphone off if on, on if off; everyone else is told (`micOn` on their side).
   * Muted, the transport sends silence with the microphone still open. Rejects `NOT_JOINED` unless
   * joined. The microphone is on at join (`localMicOn`).
   */
  toggleMic: () => Promise<void>
  /** Microphone off; a no-op when already off. Rejects `NOT_JOINED` unless joined. */
  muteMic: () => Promise<void>
  /** Microphone on; a no-op when already on. Rejects `NOT_JOINED` unless joined. */
  unmuteMic: () => Promise<void>
  /**
   * Turns the local camera off if on, on if off; everyone else is told (`webcamOn` on their side). A
   * camera the transport opened is stopped (its light goes off) and opened again when turned on.
   * Rejects `NOT_JOINED` unless joined. The camera is on at join (`localWebcamOn`).
   */
  toggleWebcam: () => Promise<void>
  /** Camera off; a no-op when already off. Rejects `NOT_JOINED` unless joined. */
  disableWebcam: () => Promise<void>
  /** Camera on; a no-op when already on. Rejects `NOT_JOINED` unless joined. */
  enableWebcam: () => Promise<void>
}

/**
 * VideoSDK's `useMeeting`, over the meeting of the nearest `<MeetingProvider>`.
 *
 * Re-renders only when a field this component has read changed, as TanStack Query's tracked results
 * do: `const { canEnd, leave } = useMeeting()` ignores roster changes, and a component that only
 * passes callbacks never re-renders for the meeting. A field counts as read from its first read on,
 * in a render or later (a spread reads them all). Every render gets the current snapshot: only the
 * notifications are filtered, so a field read for the first time is never stale. That is why this is
 * `useSyncExternalStore` with a filtering `subscribe`, not `useMeetingSelector` with an equality over
 * the read fields: a selector hook keeps handing out the selection it memoized while the compared
 * fields are equal, which would be stale for a field read for the first time.
 */
export function useMeeting(callbacks?: UseMeetingOptions): UseMeetingResult {
  const meeting = useMeetingFromContext('useMeeting')
  const [read] = useState(() => new Set<keyof MeetingFields>())
  const subscribe = useCallback(
    (onChange: () => void) => {
      let seen = meeting.getSnapshot()
      return meeting.subscribe(() => {
        const next = meeting.getSnapshot()
        const changed = [...read].some((field) => !Object.is(fieldOf(seen, field), fieldOf(next, field)))
        seen = next
        if (changed) onChange()
      })
    },
    [meeting, read],
  )
  const getSnapshot = useCallback(() => meeting.getSnapshot(), [meeting])
  const snapshot: MeetingSnapshot = useSyncExternalStore(subscribe, getSnapshot, getSnapshot)
  useMeetingEvents(meeting, callbacks)
  const actions = useMemo(() => bindActions(meeting), [meeting])
  return useMemo(() => trackFields(snapshot, actions, read), [snapshot, actions, read])
}

type MeetingActions = Omit<UseMeetingResult, keyof MeetingFields>

function bindActions(meeting: Meeting): MeetingActions {
  return {
    join: () => observed(meeting.join()),
    leave: () => observed(meeting.leave()),
    end: () => observed(meeting.end()),
    removeParticipant: (participantId) => observed(meeting.removeParticipant(participantId)),
    toggleMic: () => observed(meeting.toggleMic()),
    muteMic: () => observed(meeting.muteMic()),
    unmuteMic: () => observed(meeting.unmuteMic()),
    toggleWebcam: () => observed(meeting.toggleWebcam()),
    disableWebcam: () => observed(meeting.disableWebcam()),
    enableWebcam: () => observed(meeting.enableWebcam()),
  }
}

// VideoSDK's buttons call `end()` without awaiting it. Marking the promise as observed keeps a refused
// `end()` from surfacing as an unhandled rejection; a caller that awaits it still gets the MeetingError.
function observed(promise: Promise<void>): Promise<void> {
  promise.catch(() => {})
  return promise
}
