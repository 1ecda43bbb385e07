import type { ParticipantRole } from '@convene/core'
import { type FormEvent, useState } from 'react'
import { freshMeetingId, freshParticipantId, type LobbyChoice, meetingIdFromUrl } from './lobbyChoice.js'

/** Meeting id (a fresh one offered), name, role, camera and microphone. */
export function Lobby({ onJoin }: { onJoin: (choice: LobbyChoice) => void }) {
  const [participantId] = useState(freshParticipantId)
  const [meetingId, setMeetingId] = useState(() => meetingIdFromUrl() ?? freshMeetingId())
  const [name, setName] = useState(() => `Guest ${participantId.slice(2, 6)}`)
  const [role, setRole] = useState<ParticipantRole>(() => (meetingIdFromUrl() ? 'participant' : 'host'))
  const [camera, setCamera] = useState(true)
  const [microphone, setMicrophone] = useState(true)

  function submit(event: FormEvent) {
    event.preventDefault()
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
            maxLength={128}
            value={meetingId}
            onChange={(e) => setMeetingId(e.target.value)}
          />
          <button type="button" onClick={() => setMeetingId(freshMeetingId())}>
            New
          </button>
        </span>
      </label>
      <label>
        Display name
        <input name="name" maxLength={128} value={name} onChange={(e) => setName(e.target.value)} />
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
      <p className="muted">Open this page in another tab to add a participant.</p>
    </form>
  )
}
