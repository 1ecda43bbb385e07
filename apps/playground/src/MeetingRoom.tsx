import { useMeeting } from '@convene/react'
import { type ReactNode, useEffect } from 'react'
import { InviteLink } from './InviteLink.js'
import type { AddLogEntry } from './logEntry.js'
import { MeetingControls } from './MeetingControls.js'
import { MeetingOver } from './MeetingOver.js'
import { TileGrid } from './TileGrid.js'
import { Toasts } from './Toasts.js'
import { rememberLocalStream, testHook } from './testHook.js'
import { useLoggedCallbacks } from './useLoggedCallbacks.js'

// Reasons a join failed for: then the token line (what was granted) still helps explain it.
const JOIN_FAILURES: ReadonlySet<string> = new Set(['cancelled', 'timeout', 'transport-error'])

export interface MeetingRoomProps {
  log: AddLogEntry
  onExit: () => void
  /** After an End: a fresh meeting of one's own (an ended meeting is not reopened). */
  onNewMeeting: () => void
  /** A line under the title, such as what the token server granted. Defaults to none. */
  status?: ReactNode
}

/** The meeting view: controls and tiles while in it, what happened once out of it. */
export function MeetingRoom({ log, onExit, onNewMeeting, status: line }: MeetingRoomProps) {
  const meeting = useMeeting(useLoggedCallbacks(log))
  const { status, localStream } = meeting
  const count = meeting.participants.size + 1
  // After a meeting one was in, a token's "valid until" means nothing any more.
  const over = status === 'ended' && !JOIN_FAILURES.has(meeting.endReason ?? '')

  useEffect(() => {
    testHook.status = status
    return () => {
      testHook.status = null
    }
  }, [status])
  useEffect(() => rememberLocalStream(localStream), [localStream])

  return (
    <section className="panel room" data-testid="meeting" data-status={status}>
      <h2>
        {meeting.meetingId} <small data-testid="meeting-state">{meeting.meetingState}</small>
        {status === 'joined' && (
          <span className="count" data-testid="participant-count" data-count={count}>
            {count === 1 ? '1 in the meeting' : `${count} in the meeting`}
          </span>
        )}
      </h2>
      {!over && line}
      {status === 'ended' ? (
        <MeetingOver
          reason={meeting.endReason}
          onRejoin={() => void meeting.join()}
          onNewMeeting={onNewMeeting}
          onExit={onExit}
        />
      ) : (
        <>
          <MeetingControls />
          <InviteLink meetingId={meeting.meetingId} alone={status === 'joined' && count === 1} />
          <TileGrid />
          <Toasts />
        </>
      )}
    </section>
  )
}
