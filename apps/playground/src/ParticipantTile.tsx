import { useMeetingInstance, useMeetingSelector, useParticipant } from '@convene/react'
import { Avatar } from './Avatar.js'
import { VideoView } from './VideoView.js'

const canRemove = (s: { isHost: boolean; status: string }) => s.isHost && s.status === 'joined'

/** A participant's video (or avatar), name, host badge, and Remove for hosts. */
export function ParticipantTile({ participantId }: { participantId: string }) {
  const { participant, isLocal, stream, micOn, webcamOn } = useParticipant(participantId)
  const hostCanRemove = useMeetingSelector(canRemove)
  const meeting = useMeetingInstance()
  if (!participant) return null
  const video = stream && stream.getVideoTracks().length > 0 ? stream : null

  return (
    <figure
      className="tile"
      data-testid="tile"
      data-participant={participant.id}
      data-local={isLocal ? 'true' : 'false'}
      data-mic={micOn ? 'on' : 'off'}
      data-webcam={webcamOn ? 'on' : 'off'}
    >
      {video ? (
        <div className="video-frame">
          {/* Kept playing with the camera off: its audio is the participant's voice. */}
          <VideoView stream={video} muted={isLocal} name={participant.name} />
          {!webcamOn && (
            <div className="camera-off-cover">
              <Avatar name={participant.name} testId="camera-off-avatar" />
            </div>
          )}
        </div>
      ) : (
        <Avatar name={participant.name} />
      )}
      <figcaption>
        {!micOn && (
          <span className="media-off" data-testid="mic-off" title="Microphone off">
            mic off
          </span>
        )}
        {!webcamOn && (
          <span className="media-off" data-testid="camera-off" title="Camera off">
            cam off
          </span>
        )}
        {participant.name}
        {isLocal && ' (you)'}
        {participant.role === 'host' && (
          <span className="badge" data-testid="host-badge">
            host
          </span>
        )}
        {!isLocal && hostCanRemove && (
          <button
            type="button"
            className="small"
            data-testid="remove"
            onClick={() => void meeting.removeParticipant(participant.id).catch(() => {})}
          >
            Remove
          </button>
        )}
      </figcaption>
    </figure>
  )
}
