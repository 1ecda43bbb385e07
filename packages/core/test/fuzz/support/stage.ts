import { vi } from 'vitest'
import {
  createMeeting,
  createMemoryNetwork,
  isMeetingError,
  type Meeting,
  type MemoryNetwork,
  type ParticipantRole,
  PROTOCOL_VERSION,
} from '../../../src/index.js'
import type { Cast, Op, Schedule } from './schedule.js'

/** Timings scaled down 10x from the defaults so a schedule covers many heartbeats cheaply. */
export const LEAVE_TIMEOUT_MS = 200
export const JOIN_TIMEOUT_MS = 1500
export const RECONNECT_TIMEOUT_MS = 1000
/** Longer than every timeout above plus a few of the slowest heartbeats: after it, the network is quiet. */
export const QUIET_MS = 4000

/** One thing a meeting told the app, tagged with the local session it was told in. */
export interface Told {
  /** The observer's own session at the moment of the event. */
  session: string
  type: string
  /** For participant-joined/left: the remote session. */
  remote?: string
  remoteId?: string
  reason?: string
  code?: string
  /** For meeting-joined: the sessions already in the room, which are not announced one by one. */
  roster?: string[]
}

/** One browser tab: one Meeting object, which may run several sessions one after another. */
export interface Tab {
  readonly index: number
  readonly id: string
  readonly role: ParticipantRole
  readonly meeting: Meeting
  /** The process died (crash or closed tab): whatever it would say next nobody hears. */
  dead: boolean
  readonly told: Told[]
}

/** Whatever broke an invariant while the schedule ran (checked at the end, with the schedule printed). */
export type Violation = string

export interface Stage {
  network: MemoryNetwork
  tabs: Tab[]
  /** Every session ever started: id -> who, to judge commands by ground truth rather than core's view. */
  sessions: Map<string, { index: number; role: ParticipantRole; tab: Tab }>
  violations: Violation[]
  run(ops: readonly Op[]): Promise<void>
  quiet(): Promise<void>
  advance(ms: number): Promise<void>
}

const commandOrigin = (event: unknown): string | undefined => {
  const e = event as { type?: string; message?: { origin?: string } }
  return e.type === 'peer.end' || e.type === 'peer.remove' ? e.message?.origin : undefined
}

export function createStage(schedule: Schedule): Stage {
  const { cast } = schedule
  const n = cast.roles.length
  const network = createMemoryNetwork({
    seed: schedule.seed,
    ...(schedule.crashLinkDownAfterMs === undefined
      ? {}
      : { crashLinkDownAfterMs: schedule.crashLinkDownAfterMs }),
  })
  const tabs: Tab[] = []
  const sessions: Stage['sessions'] = new Map()
  const violations: Violation[] = []
  let sessionCount = 0
  let forgedSeq = 1_000_000

  const idOf = (index: number) => `p${index}`
  const current = (index: number) => [...tabs].reverse().find((tab) => tab.index === index && !tab.dead)

  function open(index: number): Tab {
    const role = cast.roles[index] as ParticipantRole
    const hb = cast.heartbeats[index] as number
    const told: Told[] = []
    let tab!: Tab
    const meeting = createMeeting({
      meetingId: 'fuzz',
      participant: { id: idOf(index), role },
      transport: network.transport(),
      heartbeatIntervalMs: hb,
      departureTimeoutMs: 3 * hb,
      leaveTimeoutMs: LEAVE_TIMEOUT_MS,
      joinTimeoutMs: JOIN_TIMEOUT_MS,
      reconnectTimeoutMs: RECONNECT_TIMEOUT_MS,
      createSessionId: () => {
        const id = `${idOf(index)}#${++sessionCount}`
        sessions.set(id, { index, role, tab })
        return id
      },
      // Strictly increasing, so a rejoin (or a twin) is always the newer session of its id.
      now: () => Date.now() * 100 + sessionCount,
      inspect: (event: { type: string; event?: unknown; _transitions?: Array<{ actions?: unknown[] }> }) => {
        if (event.type !== '@xstate.microstep') return
        const origin = commandOrigin(event.event)
        if (origin === undefined) return
        const obeyed = (event._transitions ?? []).some((t) =>
          (t.actions ?? []).some((a) => (a as { type?: string } | null)?.type === 'obeyCommand'),
        )
        if (obeyed && sessions.get(origin)?.role !== 'host') {
          violations.push(
            `${tab.meeting.localParticipant.sessionId} obeyed ${(event.event as { type: string }).type} from non-host session ${origin}`,
          )
        }
      },
    })
    const session = () => meeting.localParticipant.sessionId
    tab = { index, id: idOf(index), role, meeting, dead: false, told }
    meeting.on('meeting-joined', () =>
      told.push({
        session: session(),
        type: 'meeting-joined',
        roster: [...meeting.participants.values()].map((p) => p.sessionId),
      }),
    )
    meeting.on('meeting-left', ({ reason }) =>
      told.push({ session: session(), type: 'meeting-left', reason }),
    )
    meeting.on('participant-joined', (p) =>
      told.push({ session: session(), type: 'participant-joined', remote: p.sessionId, remoteId: p.id }),
    )
    meeting.on('participant-left', (p, { reason }) =>
      told.push({
        session: session(),
        type: 'participant-left',
        remote: p.sessionId,
        remoteId: p.id,
        reason,
      }),
    )
    meeting.on('error', (error) =>
      told.push({
        session: session(),
        type: 'error',
        code: isMeetingError(error) ? error.code : 'NOT_A_MEETING_ERROR',
      }),
    )
    meeting.on('participant-media-changed', () =>
      told.push({ session: session(), type: 'participant-media-changed' }),
    )
    tabs.push(tab)
    return tab
  }

  /** A promise the app does not await: a rejection must carry one of the codes that call documents. */
  function expectSettles(label: string, promise: Promise<unknown>, allowed: readonly string[]) {
    promise.catch((error: unknown) => {
      const code = isMeetingError(error) ? error.code : String(error)
      if (!allowed.includes(code)) violations.push(`${label} rejected with ${code}`)
    })
  }

  const status = (tab: Tab | undefined) => tab?.meeting.getSnapshot().status

  async function step(op: Op): Promise<void> {
    switch (op.op) {
      case 'wait':
        return advance(op.ms)
      case 'join': {
        const index = op.p % n
        const tab = current(index) ?? open(index)
        expectSettles(`${tab.id}.join()`, tab.meeting.join(), [
          'JOIN_CANCELLED',
          'JOIN_TIMEOUT',
          'JOIN_FAILED',
        ])
        return
      }
      case 'leave': {
        const tab = current(op.p % n)
        if (tab) expectSettles(`${tab.id}.leave()`, tab.meeting.leave(), [])
        return
      }
      case 'end': {
        const tab = current(op.p % n)
        if (tab) expectSettles(`${tab.id}.end()`, tab.meeting.end(), ['NOT_JOINED', 'END_NOT_ALLOWED'])
        return
      }
      case 'remove': {
        const tab = current(op.p % n)
        if (tab)
          expectSettles(`${tab.id}.removeParticipant()`, tab.meeting.removeParticipant(idOf(op.target % n)), [
            'NOT_JOINED',
            'REMOVE_NOT_ALLOWED',
            'PARTICIPANT_NOT_FOUND',
          ])
        return
      }
      case 'crash':
      case 'terminate': {
        const index = op.p % n
        if (op.op === 'crash') network.crash(idOf(index))
        else network.terminate(idOf(index))
        for (const tab of tabs) {
          if (tab.index !== index || tab.dead) continue
          // A terminated tab said its goodbye synchronously inside `terminating`; either way its process
          // is gone afterwards, and nothing of its code (a join it had queued) runs any more.
          tab.meeting.dispose()
          tab.dead = true
        }
        return
      }
      case 'twin': {
        const index = op.p % n
        if (current(index) === undefined) return
        const twin = open(index)
        expectSettles(`${twin.id}.join() (twin)`, twin.meeting.join(), [
          'JOIN_CANCELLED',
          'JOIN_TIMEOUT',
          'JOIN_FAILED',
        ])
        return
      }
      case 'disconnect':
        network.disconnect(idOf(op.p % n))
        return
      case 'reconnect':
        network.reconnect(idOf(op.p % n))
        return
      case 'partition': {
        const groups: string[][] = [[], [], []]
        for (let i = 0; i < n; i++) groups[(op.groups[i] ?? 0) % 3]!.push(idOf(i))
        const nonEmpty = groups.filter((g) => g.length > 0)
        if (nonEmpty.length >= 2) network.partition(...nonEmpty)
        return
      }
      case 'heal':
        return network.heal()
      case 'faults':
        return network.setFaults({
          drop: op.drop,
          duplicate: op.duplicate,
          delayMs: op.delayMs,
          reorder: op.reorder,
        })
      case 'forge': {
        const from = current(op.from % n)
        const to = current(op.to % n)
        if (!from || !to || from.role === 'host' || from === to) return
        const origin = from.meeting.localParticipant.sessionId
        const target = to.meeting.localParticipant.sessionId
        if (status(from) !== 'joined' || status(to) !== 'joined') return
        const body =
          op.kind === 'end'
            ? { type: 'end', origin }
            : { type: 'remove', origin, target: idOf(op.target % n) }
        network.inject(target, { v: PROTOCOL_VERSION, session: origin, seq: forgedSeq++, ...body }, origin)
        return
      }
    }
  }

  async function advance(ms: number) {
    await vi.advanceTimersByTimeAsync(ms)
  }

  return {
    network,
    tabs,
    sessions,
    violations,
    advance,
    async run(ops) {
      for (let index = 0; index < n; index++) {
        await step({ op: 'join', p: index })
        await advance(schedule.joinGaps[index] ?? 0)
      }
      for (const op of ops) await step(op)
    },
    async quiet() {
      network.heal()
      network.setFaults({})
      for (let index = 0; index < n; index++) network.reconnect(idOf(index))
      await advance(QUIET_MS)
    },
  }
}

export function castLabel(cast: Cast): string {
  return cast.roles.map((role, i) => `p${i}:${role === 'host' ? 'H' : 'P'}/${cast.heartbeats[i]}ms`).join(' ')
}
