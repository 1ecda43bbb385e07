export interface MeetingOverProps {
  reason: string | null
  onRejoin: () => void
  /** Starts a fresh meeting with the same name and devices, hosted by this participant. */
  onNewMeeting: () => void
  onExit: () => void
}

const explain: Record<string, string> = {
  left: 'You left the meeting.',
  ended: 'The meeting was ended for everyone.',
  removed: 'A host removed you from the meeting.',
  'connection-lost': 'The connection was lost for too long.',
  duplicate: 'You joined this meeting somewhere else.',
  cancelled: 'The join was cancelled.',
  timeout: 'The Convene server did not answer in time.',
  'transport-error': 'The connection could not be set up.',
}

/**
 * After `meeting-left` (or a failed join): why, and the way back. A meeting a host ended stays
 * ended: it offers a new meeting instead of Rejoin, which would reopen the same room.
 */
export function MeetingOver({ reason, onRejoin, onNewMeeting, onExit }: MeetingOverProps) {
  const ended = reason === 'ended'
  return (
    <div className="over" data-testid="meeting-over" data-reason={reason ?? ''}>
      <p>
        {explain[reason ?? ''] ?? 'The session is over.'} <small>({reason ?? 'unknown'})</small>
      </p>
      {ended ? (
        <button type="button" onClick={onNewMeeting}>
          New meeting
        </button>
      ) : (
        <button type="button" onClick={onRejoin}>
          Rejoin
        </button>
      )}{' '}
      <button type="button" onClick={onExit}>
        Back to lobby
      </button>
    </div>
  )
}
