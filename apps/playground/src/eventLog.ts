import { useCallback, useState } from 'react'
import { testHook } from './testHook.js'

/** One `useMeeting` callback, as the event log shows it. */
export interface LogEntry {
  readonly seq: number
  /** Wall-clock time, `HH:MM:SS.mmm`. */
  readonly time: string
  /** `Date.now()` when it was logged, for measurements. */
  readonly at: number
  readonly callback: string
  readonly participant?: { readonly id: string; readonly name: string }
  readonly reason?: string
  readonly detail?: string
}

export type LogInput = Omit<LogEntry, 'seq' | 'time' | 'at'>
export type AddLogEntry = (entry: LogInput) => void

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
