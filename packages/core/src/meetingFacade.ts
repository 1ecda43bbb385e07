import type { Meeting } from './Meeting.js'

/** The four fields a meeting reads from its public snapshot. */
type SnapshotFields = Pick<Meeting, 'meetingId' | 'localParticipant' | 'participants' | 'meetingState'>

// One getter per field for every meeting, reading the meeting's own `getSnapshot()`. Getters written in
// the object literal were new functions per meeting, and V8 (Node 20) turns an object whose accessor
// differs from the one it saw before on the same hidden-class transition into a dictionary: about 1 kB
// per meeting (an 832-byte property table and four closures). Shared, every meeting has one hidden class.
const SNAPSHOT_FIELDS = {
  meetingId: {
    get() {
      return this.getSnapshot().meetingId
    },
    enumerable: true,
    configurable: true,
  },
  localParticipant: {
    get() {
      return this.getSnapshot().localParticipant
    },
    enumerable: true,
    configurable: true,
  },
  participants: {
    get() {
      return this.getSnapshot().participants
    },
    enumerable: true,
    configurable: true,
  },
  meetingState: {
    get() {
      return this.getSnapshot().meetingState
    },
    enumerable: true,
    configurable: true,
  },
} satisfies { [K in keyof SnapshotFields]: TypedPropertyDescriptor<SnapshotFields[K]> } & ThisType<Meeting>

function hasSnapshotFields(target: object): target is SnapshotFields {
  return 'participants' in target
}

/**
 * The object `createMeeting` returns: the snapshot's fields as enumerable getters, first (as the object
 * literal it replaces had them), then the methods as they are given (own properties, so a method taken
 * off the meeting, `const { join } = meeting`, still works).
 */
export function meetingFacade(methods: Omit<Meeting, keyof SnapshotFields>): Meeting {
  const fields = Object.defineProperties({}, SNAPSHOT_FIELDS)
  if (!hasSnapshotFields(fields)) throw new Error('unreachable: the snapshot fields were just defined')
  return Object.assign(fields, methods)
}
