import type { Actor } from 'xstate'
import type { MeetingContext } from './context.js'
import { meetingMachine as machine } from './meetingMachine.js'
import type { MeetingActor, MeetingMachine, MeetingMachineContext } from './meetingMachineTypes.js'

// XState's machine types are invariant in the context (it appears in both argument and result
// positions), so the statechart cannot be widened to its public type without a cast: it is made here,
// once. The check below keeps it honest: the context the statechart really has must still hold every
// field the public type promises.
type Holds<T extends true> = T
export type ContextKeepsItsPromise = Holds<MeetingContext extends MeetingMachineContext ? true : false>

/**
 * The meeting statechart (XState v5), for inspectors, diagrams and model-based tests with
 * `xstate/graph`. `createMeeting` runs it; apps do not need to.
 */
export const meetingMachine = machine as unknown as MeetingMachine

/** A session's actor under its public type (see above). */
export function publicActor(actor: Actor<typeof machine>): MeetingActor {
  return actor as unknown as MeetingActor
}
