import type { LogEntry } from './logEntry.js'

/** Read by the e2e tests (and handy in the devtools console) as `window.__convene`. */
export interface PlaygroundTestHook {
  /** Every logged `useMeeting` callback of this page, oldest first. */
  events: LogEntry[]
  /** The statechart's top-level state, or `null` in the lobby. */
  status: string | null
  /** Ids of the active statechart nodes, such as `meeting.joined.connected`. */
  activeStates: string[]
  /** How many times the meeting asked for a token (once per join, plus refreshes near expiry). */
  tokenRequests: number
  /** Every local camera/microphone track the meeting reported, across sessions, with its state now. */
  localTracks(): { kind: string; readyState: string }[]
}

const tracks = new Set<MediaStreamTrack>()

export const testHook: PlaygroundTestHook = {
  events: [],
  status: null,
  activeStates: [],
  tokenRequests: 0,
  localTracks: () => [...tracks].map((track) => ({ kind: track.kind, readyState: track.readyState })),
}

export function rememberLocalStream(stream: MediaStream | null): void {
  if (stream) for (const track of stream.getTracks()) tracks.add(track)
}

;(globalThis as { __convene?: PlaygroundTestHook }).__convene = testHook
