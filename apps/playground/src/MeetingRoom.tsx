import { useMeeting } from '@convene/react'
import { type ReactNode, useEffect } from 'react'
import type { AddLogEntry } from './eventLog.js'
import { MeetingControls } from './MeetingControls.js'
import { MeetingOver } from './MeetingOver.js'
import { TileGrid } from './TileGrid.js'
import { rememberLocalStream, testHook } from './testHook.js'
import { useLoggedCallbacks } from './useLoggedCallbacks.js'

export interface MeetingRoomProps {
  log: AddLogEntry
  onExit: () => void
  /** A line under the title, such as what the token server granted. Defaults to none. */
  status?: ReactNode
}

/** The meeting view: controls and tiles while in it, what happened once out of it. */
export function MeetingRoom({ log, onExit, status: line }: MeetingRoomProps) {
  const meeting = useMeeting(useLoggedCallbacks(log))
  const { status, localStream } = meeting

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
      </h2>
      {line}
      {status === 'ended' ? (
        <MeetingOver reason={meeting.endReason} onRejoin={() => void meeting.join()} onExit={onExit} />
      ) : (
        <>
          <MeetingControls />
          <TileGrid />
        </>
      )}
    </section>
  )
}
