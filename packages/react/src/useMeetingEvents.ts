import type {
  Meeting,
  MeetingError,
  MeetingLeftReason,
  MeetingState,
  Participant,
  ParticipantLeftReason,
} from '@convene/core'
import { useEffect, useInsertionEffect, useRef } from 'react'

/** VideoSDK's `useMeeting` event callbacks. Each is optional and may change on every render. */
export interface MeetingCallbacks {
  /** This participant's join completed. Defaults to none. */
  onMeetingJoined?: () => void
  /** This participant's session is over: left, ended by a host, removed, connection lost, or duplicate. Defaults to none. */
  onMeetingLeft?: (info: { reason: MeetingLeftReason }) => void
  /** A remote participant joined after us. Those already in the room are in `participants` instead. Defaults to none. */
  onParticipantJoined?: (participant: Participant) => void
  /** A remote participant left, was removed, or went silent for the departure timeout. Defaults to none. */
  onParticipantLeft?: (participant: Participant, info: { reason: ParticipantLeftReason }) => void
  /** A remote participant's media stream arrived, changed or ended. Defaults to none. */
  onParticipantMediaChanged?: (participant: Participant) => void
  /** VideoSDK's `meetingState` changed. Defaults to none. */
  onMeetingStateChanged?: (info: { state: MeetingState }) => void
  /** A failure the meeting reported (invalid message, transport error, ...). Defaults to none. */
  onError?: (error: MeetingError) => void
}

/**
 * Forwards core events to the latest callbacks. Subscribes once per meeting: callbacks live in a ref,
 * so a new inline arrow on each render neither resubscribes nor misses or doubles an event.
 */
export function useMeetingEvents(meeting: Meeting, callbacks: MeetingCallbacks | undefined): void {
  const latest = useRef(callbacks)
  // Insertion effects run before any other effect and never on the server, so the ref is current before
  // an event can reach it and SSR stays silent (useLayoutEffect warns there in React 18).
  useInsertionEffect(() => {
    latest.current = callbacks
  })

  useEffect(() => {
    const offs = [
      meeting.on('meeting-joined', () => latest.current?.onMeetingJoined?.()),
      meeting.on('meeting-left', (info) => latest.current?.onMeetingLeft?.(info)),
      meeting.on('participant-joined', (p) => latest.current?.onParticipantJoined?.(p)),
      meeting.on('participant-left', (p, info) => latest.current?.onParticipantLeft?.(p, info)),
      meeting.on('participant-media-changed', (p) => latest.current?.onParticipantMediaChanged?.(p)),
      meeting.on('meeting-state-changed', (info) => latest.current?.onMeetingStateChanged?.(info)),
      meeting.on('error', (error) => latest.current?.onError?.(error)),
    ]
    return () => {
      for (const off of offs) off()
    }
  }, [meeting])
}
