// Test helpers without React or the DOM, so the server-rendering suite can use them too.
import {
  type CreateMeetingOptions,
  createMeeting,
  createMemoryNetwork,
  type Meeting,
  type MeetingEventMap,
  type Transport,
  type TransportSessionOptions,
} from '@convene/core'
import { afterEach, vi } from 'vitest'

// These suites wait for real heartbeats and departure timeouts; a busy 2-core CI box needs the room.
vi.setConfig({ testTimeout: 20_000 })

/**
 * Quick timings, so departures and goodbyes settle within a test without fake timers. The departure
 * timeout stays at 10 heartbeats: a busy CI machine stalling a worker must not fake a departure.
 */
export const fast = {
  heartbeatIntervalMs: 100,
  departureTimeoutMs: 1000,
  leaveTimeoutMs: 200,
} satisfies Partial<CreateMeetingOptions>

/** Long enough for a stray second event (a departure after a goodbye, a deferred leave) to show. */
export const quietMs = fast.departureTimeoutMs + 250

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

/**
 * A memory network with one remote participant already in `meetingId`, and a recording transport for
 * the participant under test: the setup most suites start from.
 */
export async function roomWithRemote(meetingId: string, remoteId = 'bob') {
  const network = createMemoryNetwork()
  const remote = remoteParticipant({
    meetingId,
    participant: { id: remoteId },
    transport: network.transport(),
  })
  await remote.meeting.join()
  return { network, remote, ...recordingTransport(network.transport()) }
}
