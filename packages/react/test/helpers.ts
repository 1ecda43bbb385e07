// Test helpers without React or the DOM, so the server-rendering suite can use them too.
import {
  type CreateMeetingOptions,
  createMeeting,
  type Meeting,
  type MeetingEventMap,
  type Transport,
  type TransportSessionOptions,
} from '@convene/core'
import { afterEach } from 'vitest'

/** Quick timings, so departures and goodbyes settle within a test without fake timers. */
export const fast = {
  heartbeatIntervalMs: 50,
  departureTimeoutMs: 400,
  leaveTimeoutMs: 200,
} satisfies Partial<CreateMeetingOptions>

/** Real time passing: lets the memory network's setTimeout(0) deliveries and heartbeats run. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** Wraps a real transport and records every session it opens. */
export function recordingTransport(inner: Transport): {
  transport: Transport
  sessions: TransportSessionOptions[]
} {
  const sessions: TransportSessionOptions[] = []
  const transport: Transport = {
    name: `recording(${inner.name})`,
    session(options) {
      sessions.push(options)
      return inner.session(options)
    },
  }
  return { transport, sessions }
}

type Recorded = { [TEvent in keyof MeetingEventMap]: Parameters<MeetingEventMap[TEvent]>[] }

const remotes: Meeting[] = []

/** A plain core meeting (no React) on the same network, recording every event it observes. */
export function remoteParticipant(options: CreateMeetingOptions): { meeting: Meeting; events: Recorded } {
  const meeting = createMeeting({ ...fast, ...options })
  remotes.push(meeting)
  const events: Recorded = {
    'meeting-joined': [],
    'meeting-left': [],
    'participant-joined': [],
    'participant-left': [],
    'participant-media-changed': [],
    'meeting-state-changed': [],
    error: [],
  }
  for (const name of Object.keys(events) as (keyof MeetingEventMap)[]) {
    meeting.on(name, (...args: unknown[]) => {
      ;(events[name] as unknown[][]).push(args)
    })
  }
  return { meeting, events }
}

afterEach(async () => {
  await Promise.allSettled(remotes.splice(0).map((meeting) => meeting.leave()))
})
