import type { InspectOption } from '@convene/core'
import { MeetingProvider } from '@convene/react'
import type { TokenResponse } from '@convene/server'
import { createPeerJSTransport } from '@convene/transport-peerjs'
import { type ReactNode, useEffect, useMemo } from 'react'
import type { AddLogEntry } from './eventLog.js'
import { LiveStatechart } from './LiveStatechart.js'
import { type LobbyChoice, putMeetingIdInUrl } from './lobbyChoice.js'
import { MeetingRoom } from './MeetingRoom.js'
import { conveneServer } from './serverConfig.js'
import { useToken } from './useToken.js'

export interface MeetingSessionProps {
  choice: LobbyChoice
  inspect: InspectOption
  log: AddLogEntry
  sidebar: (statechart: ReactNode) => ReactNode
  onExit: () => void
}

/** One meeting over PeerJS, from the lobby's choice until "Back to lobby" (which leaves it). */
export function MeetingSession(props: MeetingSessionProps) {
  const token = useToken(props.choice)
  useEffect(() => putMeetingIdInUrl(props.choice.meetingId), [props.choice.meetingId])
  if (token.status === 'ready') return <SignedMeeting {...props} grant={token.grant} />
  return (
    <div className="layout">
      <section className="panel room" data-testid="token" data-status={token.status}>
        {token.status === 'loading' ? (
          <p className="muted">Asking the Convene server for a token…</p>
        ) : (
          <div className="over">
            <p>{token.message}</p>
            <button type="button" onClick={props.onExit}>
              Back to lobby
            </button>
          </div>
        )}
      </section>
      {props.sidebar(null)}
    </div>
  )
}

/** The meeting itself, joined with the granted token; every peer is checked against the server's keys. */
function SignedMeeting({
  choice,
  inspect,
  log,
  sidebar,
  onExit,
  grant,
}: MeetingSessionProps & { grant: TokenResponse }) {
  const transport = useMemo(
    () =>
      createPeerJSTransport({
        host: conveneServer.host,
        port: conveneServer.port,
        path: conveneServer.path,
        secure: false,
        media: { video: choice.camera, audio: choice.microphone },
      }),
    [choice],
  )
  const config = useMemo(
    () => ({
      meetingId: grant.meetingId,
      // The granted id and role, which the token proves, not necessarily those asked for.
      participant: { id: grant.participantId, name: choice.name, role: grant.role },
      token: grant.token,
      auth: { jwks: conveneServer.jwksUrl },
    }),
    [choice.name, grant],
  )

  return (
    <MeetingProvider config={config} transport={transport} inspect={inspect} joinOnMount>
      <div className="layout">
        <MeetingRoom log={log} onExit={onExit} />
        {sidebar(<LiveStatechart />)}
      </div>
    </MeetingProvider>
  )
}
