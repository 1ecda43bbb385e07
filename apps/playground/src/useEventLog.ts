import { useCallback, useState } from 'react'
import type { AddLogEntry, LogEntry } from './logEntry.js'
import { testHook } from './testHook.js'

let seq = 0

/** The page's event log. It outlives each meeting, so what happened at the end stays readable. */
export function useEventLog(): { entries: readonly LogEntry[]; add: AddLogEntry } {
  const [entries, setEntries] = useState<readonly LogEntry[]>([])
  const add = useCallback<AddLogEntry>((input) => {
    const at = Date.now()
    const entry: LogEntry = { ...input, seq: ++seq, at, time: new Date(at).toISOString().slice(11, 23) }
    testHook.events.push(entry)
    setEntries((previous) => [...previous, entry])
  }, [])
  return { entries, add }
}
