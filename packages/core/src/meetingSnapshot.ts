import type { SnapshotFrom } from 'xstate'
import type { Statechart } from './meetingMachine.js'
import { PersistentMapView } from './PersistentMap.js'
import type {
  MeetingMediaStream,
  MeetingSnapshot,
  MeetingState,
  MeetingStatus,
  Participant,
} from './types.js'

type MachineSnapshot = SnapshotFrom<Statechart>

export function statusOf(snapshot: MachineSnapshot): MeetingStatus {
  const { value } = snapshot
  const top = typeof value === 'string' ? value : Object.keys(value)[0]
  switch (top) {
    case 'idle':
    case 'joined':
      return top
    // Obtaining credentials is the first part of joining, for the app.
    case 'authorizing':
    case 'joining':
      return 'joining'
    // While `leaving`, the goodbye is delivered behind the scenes: for the app the session is over
    // (meeting-left has fired), so nothing it reads changes again when the statechart reaches `ended`.
    default:
      return 'ended'
  }
}

export function meetingStateOf(snapshot: MachineSnapshot): MeetingState {
  switch (statusOf(snapshot)) {
    case 'joining':
      return 'CONNECTING'
    case 'joined':
      return snapshot.matches({ joined: 'reconnecting' }) ? 'RECONNECTING' : 'CONNECTED'
    default:
      return 'DISCONNECTED'
  }
}

/**
 * Derives the public snapshot, reusing `previous` when nothing public changed: a heartbeat changes the
 * machine's context every second, and must not re-render anything. The roster is copied only when its
 * version moved, as an O(1) view of that version, so publishing a change costs the same at any size.
 */
export function deriveSnapshot(machine: MachineSnapshot, previous: MeetingSnapshot | null): MeetingSnapshot {
  const { context } = machine
  const status = statusOf(machine)
  const meetingState = meetingStateOf(machine)
  const isHost = context.local.role === 'host'
  const canEnd = status === 'joined' && (isHost || context.session.members.size === 0)
  // The transport's stream, passed on untouched: the public type states what a transport hands over.
  const localStream = context.localStream as MeetingMediaStream | null
  // The local participant carries the local stream, as remote ones carry theirs.
  const localParticipant =
    previous !== null &&
    previous.localParticipant.sessionId === context.local.sessionId &&
    previous.localParticipant.stream === localStream &&
    previous.localParticipant.micOn === context.local.micOn &&
    previous.localParticipant.webcamOn === context.local.webcamOn
      ? previous.localParticipant
      : localStream === null
        ? context.local
        : { ...context.local, stream: localStream }
  const rosterChanged =
    previous === null ||
    previous.localParticipant.sessionId !== context.local.sessionId ||
    rosterVersions.get(previous) !== context.session.rosterVersion
  if (
    previous !== null &&
    !rosterChanged &&
    previous.status === status &&
    previous.meetingState === meetingState &&
    previous.canEnd === canEnd &&
    previous.localParticipant === localParticipant &&
    previous.endReason === context.endReason
  ) {
    return previous
  }
  const participants: ReadonlyMap<string, Participant> = rosterChanged
    ? new PersistentMapView(context.session.members)
    : (previous as MeetingSnapshot).participants
  const next: MeetingSnapshot = Object.freeze({
    status,
    meetingState,
    meetingId: context.setup.meetingId,
    localParticipant,
    participants,
    isHost,
    canEnd,
    localStream,
    endReason: context.endReason,
  })
  rosterVersions.set(next, context.session.rosterVersion)
  return next
}

// Which roster version each public snapshot was copied from, kept off the public object.
const rosterVersions = new WeakMap<MeetingSnapshot, number>()
