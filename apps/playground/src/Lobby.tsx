import type { ParticipantRole } from '@convene/core'
import { MAX_ID_LENGTH } from '@convene/core/wire'
import { type FormEvent, useEffect, useState } from 'react'
import {
  freshMeetingId,
  freshParticipantId,
  type LobbyChoice,
  meetingIdFromUrl,
  rememberedName,
  rememberTabName,
  rememberTypedName,
} from './lobbyChoice.js'

/** Meeting id (a fresh one offered), name, role, camera and microphone. */
export function Lobby({ onJoin }: { onJoin: (choice: LobbyChoice) => void }) {
  const [participantId] = useState(freshParticipantId)
  const [invitedTo] = useState(meetingIdFromUrl)
  const [meetingId, setMeetingId] = useState(() => invitedTo ?? freshMeetingId())
  const [name, setName] = useState(
    () => rememberedName(invitedTo !== null) ?? `Guest ${participantId.slice(2, 6)}`,
  )
  const [role, setRole] = useState<ParticipantRole>(() => (invitedTo ? 'participant' : 'host'))
  const [camera, setCamera] = useState(true)
  const [microphone, setMicrophone] = useState(true)
  const [problem, setProblem] = useState<string | null>(null)
  // What the join loads on its way (PeerJS for the transport, jose to check tokens) loads while the
  // lobby is shown: after the click each is tens of ms of fetch and evaluation on the join's path.
  useEffect(() => {
    import('peerjs').catch(() => {})
    import('jose').catch(() => {})
  }, [])

  // The invite is followed only while its meeting id is in the field; a meeting of one's own is hosted.
  const invited = invitedTo !== null && meetingId.trim() === invitedTo
  function startOwnMeeting() {
    setProblem(null)
    setMeetingId(freshMeetingId())
    setRole('host')
  }

  function submit(event: FormEvent) {
    event.preventDefault()
    // `maxLength` stops typing, not an invite link's longer id: core would refuse it (INVALID_OPTION).
    const id = meetingId.trim()
    if (id.length > MAX_ID_LENGTH) {
      setProblem(
        `A meeting id is at most ${MAX_ID_LENGTH} characters; this one has ${id.length}. Shorten it, or press New for a fresh one.`,
      )
      return
    }
    rememberTabName(name.trim())
    onJoin({ meetingId: meetingId.trim(), participantId, name: name.trim(), role, camera, microphone })
  }

  return (
    <form className="panel lobby" onSubmit={submit} data-testid="lobby">
      <h2>Join a meeting</h2>
      <label>
        Meeting id
        <span className="row">
          <input
            name="meetingId"
            required
            maxLength={MAX_ID_LENGTH}
            value={meetingId}
            onChange={(e) => {
              setMeetingId(e.target.value)
              setProblem(null)
            }}
          />
          <button type="button" onClick={startOwnMeeting}>
            New
          </button>
        </span>
      </label>
      <label>
        Display name
        <input
          name="name"
          maxLength={128}
          value={name}
          onChange={(e) => {
            setName(e.target.value)
            rememberTypedName(e.target.value.trim())
          }}
        />
      </label>
      <fieldset>
        <legend>Role</legend>
        {(['host', 'participant'] as const).map((value) => (
          <label key={value} className="inline">
            <input
              type="radio"
              name="role"
              value={value}
              checked={role === value}
              onChange={() => setRole(value)}
            />{' '}
            {value}
          </label>
        ))}
      </fieldset>
      <label className="inline">
        <input type="checkbox" name="camera" checked={camera} onChange={(e) => setCamera(e.target.checked)} />{' '}
        Camera
      </label>
      <label className="inline">
        <input
          type="checkbox"
          name="microphone"
          checked={microphone}
          onChange={(e) => setMicrophone(e.target.checked)}
        />{' '}
        Microphone
      </label>
      <button type="submit" className="primary">
        Join
      </button>
      {problem && (
        <p className="warn" role="alert" data-testid="lobby-problem">
          {problem}
        </p>
      )}
      <p className="muted" data-testid="lobby-hint">
        {!invited
          ? 'To add a participant, join, then open the room’s invite link (Copy invite link) in another tab or browser.'
          : `This invite link joins meeting ${invitedTo}. Pick a name and join.`}
      </p>
    </form>
  )
}
