import type { MeetingSnapshot } from '@convene/core'

/** The snapshot fields `useMeeting` returns, under VideoSDK's names. */
export interface MeetingFields {
  /** The meeting's id, from the provider's `config`. */
  meetingId: MeetingSnapshot['meetingId']
  /** This participant: its id, name, role, session id, stream, `micOn` and `webcamOn`. */
  localParticipant: MeetingSnapshot['localParticipant']
  /** Remote participants by id; a new `Map` only when the roster changed. */
  participants: MeetingSnapshot['participants']
  /** `'CONNECTING'`, `'CONNECTED'`, `'RECONNECTING'` or `'DISCONNECTED'` (before the join and once out). */
  meetingState: MeetingSnapshot['meetingState']
  /** Whether this participant's role is `'host'`. */
  isHost: MeetingSnapshot['isHost']
  /** Whether `end()` is allowed now: joined, and host or alone; `false` once out (left, ended, disposed). */
  canEnd: MeetingSnapshot['canEnd']
  /** `'idle'`, `'joining'`, `'joined'` or `'ended'`: where this participant is (see core's `MeetingSnapshot`). */
  status: MeetingSnapshot['status']
  /** Why the last session ended, or `null`. */
  endReason: MeetingSnapshot['endReason']
  /** The local camera/microphone stream, when the transport acquired one. */
  localStream: MeetingSnapshot['localStream']
  /** Whether the local microphone is on (VideoSDK's `localMicOn`); `true` at join. See `toggleMic`. */
  localMicOn: boolean
  /** Whether the local camera is on (VideoSDK's `localWebcamOn`); `true` at join. See `toggleWebcam`. */
  localWebcamOn: boolean
}

const FIELDS = [
  'meetingId',
  'localParticipant',
  'participants',
  'meetingState',
  'isHost',
  'canEnd',
  'status',
  'endReason',
  'localStream',
  'localMicOn',
  'localWebcamOn',
] as const satisfies readonly (keyof MeetingFields)[]

/** One field's value in a snapshot: most are the snapshot's own, the local media flags its participant's. */
export function fieldOf(snapshot: MeetingSnapshot, field: keyof MeetingFields): unknown {
  if (field === 'localMicOn') return snapshot.localParticipant.micOn
  if (field === 'localWebcamOn') return snapshot.localParticipant.webcamOn
  return snapshot[field]
}

/**
 * `extra` plus a getter per snapshot field that notes the field in `read` before returning it: what a
 * component reads is what it depends on. The getters are enumerable, so a spread copies (and reads) all.
 */
export function trackFields<TExtra extends object>(
  snapshot: MeetingSnapshot,
  extra: TExtra,
  read: Set<keyof MeetingFields>,
): TExtra & MeetingFields {
  const result = { ...extra }
  for (const field of FIELDS) {
    Object.defineProperty(result, field, {
      enumerable: true,
      get() {
        read.add(field)
        return fieldOf(snapshot, field)
      },
    })
  }
  return result as TExtra & MeetingFields
}
