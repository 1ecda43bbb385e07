import type { LogEntry } from './logEntry.js'

/** Every `useMeeting` callback of this page, newest first, with its time and reason. */
export function EventLog({ entries }: { entries: readonly LogEntry[] }) {
  return (
    <section className="panel log" data-testid="event-log" aria-label="Event log">
      <h2>
        Events <small>{entries.length}</small>
      </h2>
      <ol reversed>
        {[...entries].reverse().map((entry) => (
          <li key={entry.seq} data-callback={entry.callback} data-reason={entry.reason ?? ''}>
            <time>{entry.time}</time> <code>{entry.callback}</code>
            {entry.participant && <> {entry.participant.name}</>}
            {entry.reason && <span className="reason"> {entry.reason}</span>}
            {entry.detail && <span className="muted"> {entry.detail}</span>}
          </li>
        ))}
      </ol>
    </section>
  )
}
