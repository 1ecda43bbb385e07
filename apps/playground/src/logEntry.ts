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
