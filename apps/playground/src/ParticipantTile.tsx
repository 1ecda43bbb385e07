import { useMeetingInstance, useMeetingSelector, useParticipant } from '@convene/react'
import { Avatar } from './Avatar.js'
import { VideoView } from './VideoView.js'

const canRemove = (s: { isHost: boolean; status: string }) => s.isHost && s.status === 'joined'

/** A participant's video (or avatar), name, host badge, and Remove for hosts. */
export function ParticipantTile({ participantId }: { participantId: string }) {
  const { participant, isLocal, stream } = useParticipant(participantId)
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
    >
      {video ? (
        <VideoView stream={video} muted={isLocal} name={participant.name} />
      ) : (
        <Avatar name={participant.name} />
      )}
      <figcaption>
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
