import { expectTypeOf } from 'vitest'
import { createActor, type SnapshotFrom } from 'xstate'
import { getShortestPaths } from 'xstate/graph'
import {
  createMeeting,
  createMemoryNetwork,
  type MeetingActor,
  type MeetingMachineContext,
  meetingMachine,
  type TokenProvider,
  type TokenProviderRequest,
} from '../src/index.js'

// Checked by `npm run typecheck`: the statechart is published with public types only, and they are
// enough to inspect it, drive it and walk its graph.
const meeting = createMeeting({
  meetingId: 'standup',
  participant: { id: 'alice' },
  transport: createMemoryNetwork().transport(),
})
expectTypeOf(meeting.actor).toEqualTypeOf<MeetingActor>()
expectTypeOf(meeting.actor.getSnapshot().context).toEqualTypeOf<MeetingMachineContext>()
expectTypeOf<SnapshotFrom<typeof meetingMachine>['context']>().toEqualTypeOf<MeetingMachineContext>()
meeting.actor.subscribe((snapshot) => expectTypeOf(snapshot.context.endReason).not.toBeAny())
meeting.actor.on('participant-left', (event) => expectTypeOf(event.participant.id).toBeString())
// @ts-expect-error: core's own bookkeeping is not part of the public context
meeting.actor.getSnapshot().context.session

const actor = createActor(meetingMachine, { input: undefined })
actor.send({ type: 'REMOVE', participantId: 'bob' })
actor.send({ type: 'transport.ready', peers: [] })
// @ts-expect-error: not an event the statechart takes
actor.send({ type: 'EXPLODE' })
expectTypeOf(getShortestPaths(meetingMachine)).toBeArray()

const token: TokenProvider = async (request) => {
  expectTypeOf(request).toEqualTypeOf<TokenProviderRequest>()
  return `${request.meetingId}:${request.participantId}:${request.role}:${request.publicKey.x}`
}
void token
