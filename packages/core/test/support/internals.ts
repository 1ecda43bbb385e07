import type { MeetingContext } from '../../src/context.js'
import type { Meeting } from '../../src/index.js'

/**
 * The statechart's whole context, for the tests that check core's own bookkeeping: the public type
 * (`MeetingMachineContext`) names only what the package promises.
 */
export const internalContext = (meeting: Meeting): MeetingContext =>
  meeting.actor.getSnapshot().context as MeetingContext
