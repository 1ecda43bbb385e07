import { useMeeting } from '@convene/react'
import { useEffect } from 'react'
import type { AddLogEntry } from './eventLog.js'
import { MeetingControls } from './MeetingControls.js'
import { MeetingOver } from './MeetingOver.js'
import { TileGrid } from './TileGrid.js'
import { rememberLocalStream, testHook } from './testHook.js'
import { useLoggedCallbacks } from './useLoggedCallbacks.js'

/** The meeting view: controls and tiles while in it, what happened once out of it. */
export function MeetingRoom({ log, onExit }: { log: AddLogEntry; onExit: () => void }) {
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
