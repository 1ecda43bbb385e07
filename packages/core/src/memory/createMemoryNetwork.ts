import { MeetingError } from '../MeetingError.js'
import type { Transport } from '../transport.js'
import { createMemorySession } from './createMemorySession.js'
import { createFaultModel } from './faultModel.js'
import { MemoryFabric } from './MemoryFabric.js'
import { createRandom } from './random.js'
import { createScheduler } from './scheduler.js'
import type { SessionRecord } from './sessionRecord.js'
import type { MemoryFaults, MemoryNetwork, MemoryNetworkOptions } from './types.js'
import { validateFaults, validateGroups, validateId, validateNetworkOptions } from './validateOptions.js'

/** The link id injected messages claim to come from when the caller names none. */
export const INJECTED_LINK_ID = 'memory:injected'

/**
 * Creates an in-process network for embedding, simulation and fault injection. Every delivery goes
 * through `setTimeout`, so fake timers drive it step by step, and the same seed with the same calls
 * replays the same run.
 *
 * @example
 * const network = createMemoryNetwork({ seed: 42 })
 * const meeting = createMeeting({ meetingId: 'm', participant: { id: 'alice' }, transport: network.transport() })
 * network.setFaults({ drop: 0.1, delayMs: [0, 50] })
 */
export function createMemoryNetwork(options: MemoryNetworkOptions = {}): MemoryNetwork {
  const { seed, crashLinkDownAfterMs, faults, onObserverError, localMedia } = validateNetworkOptions(options)
  const random = createRandom(seed)
  const scheduler = createScheduler((error) => onObserverError(error, { sessionId: '' }))
  const fabric = new MemoryFabric(scheduler, createFaultModel(faults, random), onObserverError)
  const transport: Transport = {
    name: 'memory',
    session: (sessionOptions) => createMemorySession(fabric, sessionOptions, localMedia),
  }

  // A copy: crashing or closing a session edits the live set while we walk it.
  const liveSessionsOf = (participantId: unknown): SessionRecord[] => [
    ...(fabric.byParticipant.get(validateId(participantId, 'participantId')) ?? []),
  ]

  return {
    transport: () => transport,

    crash(participantId) {
      let crashed = 0
      for (const record of liveSessionsOf(participantId)) {
        if (fabric.crash(record, crashLinkDownAfterMs)) crashed++
      }
      return crashed
    },

    terminate(participantId) {
      let terminated = 0
      for (const record of liveSessionsOf(participantId)) {
        // Synchronous on purpose: what core sends from inside this callback is its goodbye.
        fabric.emit(record, { type: 'terminating' })
        fabric.crash(record, crashLinkDownAfterMs)
        terminated++
      }
      return terminated
    },

    disconnect(participantId) {
      const sessions = liveSessionsOf(participantId)
      fabric.offline.add(participantId)
      let disconnected = 0
      for (const record of sessions) if (fabric.goOffline(record)) disconnected++
      return disconnected
    },

    reconnect(participantId) {
      const sessions = liveSessionsOf(participantId)
      if (!fabric.offline.delete(participantId)) return 0
      return fabric.goOnline(sessions)
    },

    partition(...groups) {
      fabric.partitions.push(validateGroups(groups))
    },

    heal() {
      fabric.partitions = []
    },

    setFaults(next: MemoryFaults) {
      fabric.faults = createFaultModel(validateFaults(next), random)
    },

    inject(target, data, fromLinkId = INJECTED_LINK_ID) {
      validateId(target, 'target')
      validateId(fromLinkId, 'fromLinkId')
      const session = fabric.records.get(target)
      const recipients =
        session !== undefined && session.observer !== null
          ? [session]
          : liveSessionsOf(target).filter((record) => record.observer !== null)
      if (recipients.length === 0) {
        throw MeetingError.invalidOption(
          'target',
          `no live session or participant "${target}" to inject into`,
        )
      }
      for (const record of recipients) fabric.post(record, { type: 'message', linkId: fromLinkId, data })
      return recipients.length
    },

    sessions(meetingId) {
      const infos = []
      for (const { sessionId, participantId, meetingId: meeting, state } of fabric.records.values()) {
        if (meetingId === undefined || meeting === meetingId) {
          infos.push({ sessionId, participantId, meetingId: meeting, state })
        }
      }
      return infos
    },

    get stats() {
      return { ...fabric.stats }
    },
  }
}
