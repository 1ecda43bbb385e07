import { type ReactNode, useState } from 'react'
import { EventLog } from './EventLog.js'
import { InspectSwitch } from './InspectSwitch.js'
import { createInspectorBridge } from './inspectorBridge.js'
import { Lobby } from './Lobby.js'
import { freshMeetingId, type LobbyChoice } from './lobbyChoice.js'
import { MeetingSession } from './MeetingSession.js'
import { SessionErrorBoundary } from './SessionErrorBoundary.js'
import { StatechartPanel } from './StatechartPanel.js'
import { useEventLog } from './useEventLog.js'

// `?inspector=<url>` points the Inspect switch at another inspector (a self-hosted one, or a test's).
const inspectorUrl = new URLSearchParams(location.search).get('inspector') ?? undefined
const inspectorBridge = createInspectorBridge(inspectorUrl ? { url: inspectorUrl } : {})
const lobbyStates: ReadonlySet<string> = new Set(['idle'])

export function App() {
  const [choice, setChoice] = useState<LobbyChoice | null>(null)
  const log = useEventLog()
  const sidebar = (statechart: ReactNode) => (
    <aside className="sidebar">
      {statechart}
      <EventLog entries={log.entries} />
    </aside>
  )

  return (
    <div className="app">
      <header className="topbar">
        <h1>Convene playground</h1>
        <InspectSwitch bridge={inspectorBridge} />
      </header>
      {choice === null ? (
        <div className="layout">
          <Lobby onJoin={setChoice} />
          {sidebar(<StatechartPanel active={lobbyStates} />)}
        </div>
      ) : (
        // A new meeting is a new session (its token, its identity), not a change to this one.
        <SessionErrorBoundary key={choice.meetingId} onExit={() => setChoice(null)}>
          <MeetingSession
            choice={choice}
            inspect={inspectorBridge.inspect}
            log={log.add}
            sidebar={sidebar}
            onExit={() => setChoice(null)}
            // Same name and devices, a new meeting id, as its host.
            onNewMeeting={() => setChoice({ ...choice, meetingId: freshMeetingId(), role: 'host' })}
          />
        </SessionErrorBoundary>
      )}
    </div>
  )
}
