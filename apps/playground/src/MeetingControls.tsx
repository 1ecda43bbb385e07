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
      <MediaButton
        testId="toggle-mic"
        on={localMicOn}
        enabled={joined}
        toggle={toggleMic}
        labels={['Mute', 'Unmute']}
        titles={['Mute your microphone for everyone', 'Unmute your microphone']}
      />
      <MediaButton
        testId="toggle-webcam"
        on={localWebcamOn}
        enabled={joined}
        toggle={toggleWebcam}
        labels={['Camera off', 'Camera on']}
        titles={['Turn your camera off (its light goes off)', 'Turn your camera on']}
      />
      <button
        type="button"
        data-testid="leave"
        onClick={() => {
          // User Timing (DevTools' Performance panel, and the bench): the click's task may start late.
          performance.mark('convene:leave')
          void leave()
        }}
        disabled={status === 'leaving'}
      >
        Leave
      </button>
      <button
        type="button"
        className="danger"
        data-testid="end"
        onClick={() => {
          performance.mark('convene:end')
          void end()
        }}
        disabled={endDisabledReason !== null}
        title={endDisabledReason ?? 'End the meeting for everyone'}
      >
        End for everyone
      </button>
      <span className="muted" data-testid="own-status">
        {status} · you are {isHost ? 'a host' : 'a participant'}
      </span>
      {/* A line of its own: run on after the status, it read as one sentence. */}
      {endDisabledReason && (
        <span className="muted whole-row" data-testid="end-disabled-reason">
          {endDisabledReason}
        </span>
      )}
    </div>
  )
}

/** A microphone or camera switch: pressed (and red) while the device is off. */
function MediaButton(props: {
  testId: string
  on: boolean
  enabled: boolean
  toggle: () => Promise<void>
  /** While on, while off. */
  labels: readonly [string, string]
  titles: readonly [string, string]
}) {
  const { testId, on, enabled, toggle, labels, titles } = props
  return (
    <button
      type="button"
      data-testid={testId}
      aria-pressed={!on}
      className={on ? undefined : 'off'}
      onClick={() => void toggle()}
      disabled={!enabled}
      title={on ? titles[0] : titles[1]}
    >
      {on ? labels[0] : labels[1]}
    </button>
  )
}
