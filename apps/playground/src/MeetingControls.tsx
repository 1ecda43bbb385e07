import { useMeeting } from '@convene/react'

const END_REFUSED = 'Only a host, or the last participant in the room, can end the meeting.'

/** Microphone and camera (everyone is told), Leave (I go, the others stay) and End (everyone goes). */
export function MeetingControls() {
  const { leave, end, canEnd, status, isHost, localMicOn, localWebcamOn, toggleMic, toggleWebcam } =
    useMeeting()
  const joined = status === 'joined'
  const endDisabledReason = !joined ? 'Not in the meeting yet.' : canEnd ? null : END_REFUSED
  return (
    <div className="controls">
      <button
        type="button"
        data-testid="toggle-mic"
        aria-pressed={!localMicOn}
        className={localMicOn ? undefined : 'off'}
        onClick={() => void toggleMic()}
        disabled={!joined}
        title={localMicOn ? 'Mute your microphone for everyone' : 'Unmute your microphone'}
      >
        {localMicOn ? 'Mute' : 'Unmute'}
      </button>
      <button
        type="button"
        data-testid="toggle-webcam"
        aria-pressed={!localWebcamOn}
        className={localWebcamOn ? undefined : 'off'}
        onClick={() => void toggleWebcam()}
        disabled={!joined}
        title={localWebcamOn ? 'Turn your camera off (its light goes off)' : 'Turn your camera on'}
      >
        {localWebcamOn ? 'Camera off' : 'Camera on'}
      </button>
      <button type="button" data-testid="leave" onClick={() => void leave()} disabled={status === 'leaving'}>
        Leave
      </button>
      <button
        type="button"
        className="danger"
        data-testid="end"
        onClick={() => void end()}
        disabled={endDisabledReason !== null}
        title={endDisabledReason ?? 'End the meeting for everyone'}
      >
        End for everyone
      </button>
      {endDisabledReason && (
        <span className="muted" data-testid="end-disabled-reason">
          {endDisabledReason}
        </span>
      )}
      <span className="muted">
        {status}
        {isHost ? ' · you are a host' : ''}
      </span>
    </div>
  )
}
