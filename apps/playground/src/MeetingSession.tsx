import type { InspectOption } from '@convene/core'
import { MeetingProvider } from '@convene/react'
import { createPeerJSTransport } from '@convene/transport-peerjs'
import { type ReactNode, useEffect, useMemo } from 'react'
import type { AddLogEntry } from './eventLog.js'
import { LiveStatechart } from './LiveStatechart.js'
import { type LobbyChoice, putMeetingIdInUrl } from './lobbyChoice.js'
import { MeetingRoom } from './MeetingRoom.js'
import { conveneServer } from './serverConfig.js'

export interface MeetingSessionProps {
  choice: LobbyChoice
  inspect: InspectOption
  log: AddLogEntry
  sidebar: (statechart: ReactNode) => ReactNode
  onExit: () => void
}

/** One meeting over PeerJS, from the lobby's choice until "Back to lobby" (which leaves it). */
export function MeetingSession({ choice, inspect, log, sidebar, onExit }: MeetingSessionProps) {
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
      meetingId: choice.meetingId,
      participant: { id: choice.participantId, name: choice.name, role: choice.role },
    }),
    [choice],
  )
  useEffect(() => putMeetingIdInUrl(choice.meetingId), [choice.meetingId])

  return (
    <MeetingProvider config={config} transport={transport} inspect={inspect} joinOnMount>
      <div className="layout">
        <MeetingRoom log={log} onExit={onExit} />
        {sidebar(<LiveStatechart />)}
      </div>
    </MeetingProvider>
  )
}
