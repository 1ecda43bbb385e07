import type { InspectOption, TokenProvider } from '@convene/core'
import { MeetingProvider } from '@convene/react'
import { createPeerJSTransport } from '@convene/transport-peerjs'
import { type ReactNode, useEffect, useMemo } from 'react'
import { PLAYGROUND_CAMERA } from './camera.js'
import { LiveStatechart } from './LiveStatechart.js'
import { type LobbyChoice, putMeetingIdInUrl } from './lobbyChoice.js'
import type { AddLogEntry } from './logEntry.js'
import { MeetingRoom } from './MeetingRoom.js'
import { conveneServer } from './serverConfig.js'
import { TokenStatus } from './TokenStatus.js'
import { type TokenIdentity, useToken } from './useToken.js'

export interface MeetingSessionProps {
  choice: LobbyChoice
  inspect: InspectOption
  log: AddLogEntry
  sidebar: (statechart: ReactNode) => ReactNode
  onExit: () => void
  onNewMeeting: () => void
}

/** One meeting over PeerJS, from the lobby's choice until "Back to lobby" (which leaves it). */
export function MeetingSession(props: MeetingSessionProps) {
  const { identity, grant, failure, token } = useToken(props.choice)
  useEffect(() => putMeetingIdInUrl(identity.meetingId), [identity.meetingId])
  // Without any token the meeting cannot start: say why, with the way back.
  if (failure !== null && grant === null) {
    return (
      <div className="layout">
        <section className="panel room" data-testid="token" data-status="failed">
          <div className="over">
            <p>{failure}</p>
            <button type="button" onClick={props.onExit}>
              Back to lobby
            </button>
          </div>
        </section>
        {props.sidebar(null)}
      </div>
    )
  }
  return (
    <SignedMeeting
      // A grant for another identity makes a new meeting (a token is good only for whom it names).
      key={`${identity.meetingId}\u0000${identity.participantId}\u0000${identity.role}`}
      {...props}
      identity={identity}
      token={token}
      status={<TokenStatus grant={grant} failure={failure} />}
    />
  )
}

interface SignedMeetingProps extends MeetingSessionProps {
  identity: TokenIdentity
  token: TokenProvider
  status: ReactNode
}

/** The meeting itself; its token comes from the server at join, and every peer's is checked. */
function SignedMeeting({
  choice,
  inspect,
  log,
  sidebar,
  onExit,
  onNewMeeting,
  identity,
  token,
  status,
}: SignedMeetingProps) {
  const transport = useMemo(
    () =>
      createPeerJSTransport({
        host: conveneServer.host,
        port: conveneServer.port,
        path: conveneServer.path,
        secure: false,
        media: { video: choice.camera && PLAYGROUND_CAMERA, audio: choice.microphone },
      }),
    [choice],
  )
  const config = useMemo(
    () => ({
      meetingId: identity.meetingId,
      participant: { id: identity.participantId, name: choice.name, role: identity.role },
      // A function: core asks it for a token bound to each join's own key (see useToken).
      token,
      auth: { jwks: conveneServer.jwksUrl },
    }),
    [choice.name, identity, token],
  )

  return (
    <MeetingProvider config={config} transport={transport} inspect={inspect} joinOnMount>
      <div className="layout">
        <MeetingRoom log={log} onExit={onExit} onNewMeeting={onNewMeeting} status={status} />
        {sidebar(<LiveStatechart />)}
      </div>
    </MeetingProvider>
  )
}
