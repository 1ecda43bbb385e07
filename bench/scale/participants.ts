/**
 * A group of participants in one Node process (so a meeting of 1,000 needs a few processes, not a
 * thousand, and a SIGKILL of a process of one is a real crash), driven by bench/scale.ts over IPC.
 * It keeps what it is told per participant and answers with summaries: at 1,000 participants every
 * single event (a million `participant-joined`) would swamp the IPC channel.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import type { Meeting, MeetingState, Transport } from '@convene/core'
import type {
  Command,
  Counters,
  Departure,
  GroupConfig,
  JoinTimes,
  Recovery,
  Reply,
  TraceEntry,
} from './protocol.js'

const config = JSON.parse(process.env.SCALE_GROUP ?? '{}') as GroupConfig
const now = () => performance.timeOrigin + performance.now()
const send = (message: Omit<Reply, 'at'> | { event: string }) => process.send?.({ at: now(), ...message })

// Node's WebRTC and WebSocket for PeerJS, only when this group meets over PeerJS.
if (config.transport.kind === 'peerjs') await import('../../packages/transport-peerjs/test/support/webrtc.js')
const { createMeeting, tapTransport } = await import('@convene/core')

const loop = monitorEventLoopDelay({ resolution: 10 })
loop.enable()

/** `BENCH_SCALE_TRACE=1`: per participant, when the transport told its meeting what (failoverTrace.ts). */
const tracing = process.env.BENCH_SCALE_TRACE === '1'
const traced = new Map<string, Array<{ type: string; at: number }>>()
/** `BENCH_SCALE_TRACE=1`: when this process's transports handed a LEAVE, a departure, and when a meeting told one. */
const leaveTrace = { msg: [] as number[], gone: [] as number[], told: [] as number[] }

const counters: Counters = {
  sentToOne: 0,
  sentToAll: 0,
  received: 0,
  cpuMicros: 0,
  loopDelay: { p99: 0, max: 0 },
  errors: {},
  samples: {},
}

async function makeTransport(firstUrl: number): Promise<Transport> {
  const { transport: t } = config
  const inner =
    t.kind === 'socketio'
      ? (await import('@convene/transport-socketio')).createSocketIOTransport({
          url: [...t.urls.slice(firstUrl), ...t.urls.slice(0, firstUrl)],
        })
      : (await import('@convene/transport-peerjs')).createPeerJSTransport({ port: t.port })
  return tapTransport(inner, {
    send: (_message, to) => {
      if (to === undefined) counters.sentToAll++
      else counters.sentToOne++
    },
    event: (event, session) => {
      if (event.type === 'message') {
        counters.received++
        const data = event.data as { type?: unknown } | null
        if (data?.type === 'end') heard(session.participantId).end ??= now()
        if (tracing && data?.type === 'leave') leaveTrace.msg.push(now())
        return
      }
      if (event.type === 'presence-gone') heard(session.participantId).gone.push(now())
      if (tracing && event.type === 'presence-gone') leaveTrace.gone.push(now())
      if (tracing) {
        const list = traced.get(session.participantId) ?? []
        traced.set(session.participantId, list)
        list.push({ type: event.type, at: now() })
      }
    },
  })
}

/** What the app's backend does: `POST /token` on the server, for this session's key. */
const tokenFrom = (tokenUrl: string) => async (request: object) => {
  const response = await fetch(tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  })
  if (response.status !== 200) throw new Error(`POST /token answered ${response.status}`)
  return ((await response.json()) as { token: string }).token
}

/** When each participant's transport handed it an END, and each departure it told: where `end()` goes. */
const hearing = new Map<string, { end: number | null; gone: number[] }>()
const heard = (id: string) => {
  const known = hearing.get(id)
  if (known) return known
  const fresh = { end: null, gone: [] as number[] }
  hearing.set(id, fresh)
  return fresh
}

interface Tracked {
  meeting: Meeting
  join: JoinTimes
  states: Array<{ state: MeetingState; at: number }>
  ended: { reason: string; at: number } | null
  /** Subject → reasons told, in order, with when. */
  told: Map<string, Array<{ reason: string; at: number }>>
}

/**
 * The server's public keys, fetched once for the whole group and given to each meeting as a JWKS
 * object. Given the URL, each of a thousand meetings fetches it itself, and under the join's load the
 * server answers some after jose's 5 s timeout: those meetings refuse peers (`ERR_JWKS_TIMEOUT`).
 */
const jwks = config.auth
  ? ((await (await fetch(config.auth.jwksUrl)).json()) as { keys: object[] })
  : { keys: [] }

let target = Number.POSITIVE_INFINITY
const transports = new Map<number, Transport>()
const warn = console.warn
console.warn = () => {} // the development-mode notice about self-declared roles, without auth
const people = new Map<string, Tracked>()
for (const { id, role, firstUrl = 0 } of config.participants) {
  const transport = transports.get(firstUrl) ?? (await makeTransport(firstUrl))
  transports.set(firstUrl, transport)
  const meeting = createMeeting({
    meetingId: config.meetingId,
    participant: { id, role },
    transport,
    ...config.timing,
    ...(config.auth ? { token: tokenFrom(config.auth.tokenUrl), auth: { jwks } } : {}),
  })
  const tracked: Tracked = {
    meeting,
    join: { id, started: null, joined: null, full: null, error: null, failures: 0, roster: 0 },
    states: [],
    ended: null,
    told: new Map(),
  }
  const checkFull = () => {
    if (tracked.join.full === null && meeting.participants.size >= target) tracked.join.full = now()
  }
  meeting.on('meeting-joined', checkFull)
  meeting.on('participant-joined', checkFull)
  meeting.on('participant-left', (p, { reason }) => {
    const list = tracked.told.get(p.id) ?? []
    tracked.told.set(p.id, [...list, { reason, at: now() }])
    if (tracing) leaveTrace.told.push(now())
  })
  meeting.on('meeting-left', ({ reason }) => {
    tracked.ended ??= { reason, at: now() }
  })
  meeting.on('meeting-state-changed', ({ state }) => tracked.states.push({ state, at: now() }))
  meeting.on('error', (error) => {
    counters.errors[error.code] = (counters.errors[error.code] ?? 0) + 1
    const seen = counters.samples[error.code] ?? []
    if (seen.length < 3) seen.push(error.message.slice(0, 300))
    counters.samples[error.code] = seen
  })
  people.set(id, tracked)
}
console.warn = warn

function person(id: string): Tracked {
  const found = people.get(id)
  if (!found) throw new Error(`no participant ${id} in this group`)
  return found
}

/**
 * Joins `ids` with at most `concurrency` joins in flight, the i-th not before `i / perSecond` s (0: as
 * fast as the slots free up); resolves when all have settled. A join that fails is tried again (as an
 * app would, after a second), up to `JOIN_ATTEMPTS` in all, and counted.
 */
const JOIN_ATTEMPTS = 5
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function joinOne(tracked: Tracked): Promise<void> {
  const { meeting, join } = tracked
  tracked.ended = null
  join.started = now()
  join.joined = null
  join.full = null
  join.error = null
  join.failures = 0
  for (let attempt = 1; attempt <= JOIN_ATTEMPTS && join.joined === null; attempt++) {
    if (attempt > 1) await sleep(1_000)
    await meeting.join().then(
      () => {
        join.joined = now()
        join.error = null
        if (meeting.participants.size >= target) join.full ??= now()
      },
      (error: unknown) => {
        join.failures++
        join.error = error instanceof Error ? error.message : String(error)
      },
    )
  }
}

async function joinAll(ids: string[], concurrency: number, perSecond = 0): Promise<void> {
  const start = now()
  let next = 0
  const worker = async () => {
    for (let i = next++; i < ids.length; i = next++) {
      if (perSecond > 0) await sleep(start + (i * 1000) / perSecond - now())
      await joinOne(person(ids[i]!))
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker))
}

function departures(since: number): Departure[] {
  const bySubject = new Map<string, Departure>()
  for (const { told } of people.values()) {
    for (const [subject, all] of told) {
      const list = all.filter((t) => t.at >= since)
      if (list.length === 0) continue
      const d = bySubject.get(subject) ?? {
        subject,
        reasons: {},
        repeated: 0,
        first: Number.POSITIVE_INFINITY,
        last: 0,
      }
      for (const { reason, at } of list) {
        d.reasons[reason] = (d.reasons[reason] ?? 0) + 1
        d.first = Math.min(d.first, at)
        d.last = Math.max(d.last, at)
      }
      if (list.length > 1) d.repeated++
      bySubject.set(subject, d)
    }
  }
  return [...bySubject.values()]
}

function recoveries(since: number): Recovery[] {
  return [...people.entries()].map(([id, { states }]) => {
    const down = states.find((s) => s.at >= since && s.state === 'RECONNECTING')?.at ?? null
    const back =
      down === null ? null : (states.find((s) => s.at >= down && s.state === 'CONNECTED')?.at ?? null)
    return { id, down, back }
  })
}

function trace(since: number): TraceEntry[] {
  return [...people.keys()].map((id) => {
    const events = (traced.get(id) ?? []).filter((e) => e.at >= since)
    const first = (type: string) => events.find((e) => e.type === type)?.at ?? null
    const count = (type: string) => events.filter((e) => e.type === type).length
    return {
      id,
      disconnected: first('disconnected'),
      reconnected: first('reconnected'),
      linkUps: count('link-up'),
      linkDowns: count('link-down'),
    }
  })
}

async function handle(command: Command): Promise<Record<string, unknown>> {
  switch (command.cmd) {
    case 'join':
      await joinAll(command.ids ?? [...people.keys()], command.concurrency, command.perSecond)
      return {}
    case 'leave': {
      const started = now()
      await person(command.id).meeting.leave()
      return { started, resolved: now() }
    }
    case 'end': {
      const started = now()
      await person(command.id).meeting.end()
      return { started, resolved: now() }
    }
    case 'target':
      target = command.size
      for (const { meeting, join } of people.values()) {
        join.full = meeting.participants.size >= target ? now() : null
      }
      return {}
    case 'joins':
      return {
        joins: [...people.values()].map((p) => ({ ...p.join, roster: p.meeting.participants.size })),
      }
    case 'departures':
      return { departures: departures(command.since ?? 0) }
    case 'ended':
      return {
        ended: [...people.entries()].map(([id, p]) => {
          const h = heard(id)
          const since = command.since ?? 0
          return {
            id,
            ...(p.ended ?? { reason: null, at: null }),
            endHeard: h.end !== null && h.end >= since ? h.end : null,
            // Departures the transport told this participant between `end()` and its END.
            goneBefore: h.gone.filter((t) => t >= since && (h.end === null || t < h.end)).length,
            // And after it, while the session was still open (it closes once its goodbye is out).
            goneAfter: h.gone.filter((t) => t >= since && h.end !== null && t >= h.end).length,
            group: people.has('host') ? 'host' : String(process.pid),
          }
        }),
      }
    case 'states':
      return { recoveries: recoveries(command.since) }
    case 'trace':
      return { trace: trace(command.since) }
    case 'leave-trace': {
      const within = (list: number[]) => list.filter((t) => t >= command.since && t < command.until)
      const span = (list: number[]) => {
        const times = within(list)
        return times.length === 0
          ? null
          : {
              n: times.length,
              first: Math.min(...times) - command.since,
              last: Math.max(...times) - command.since,
            }
      }
      return {
        leaveTrace: { msg: span(leaveTrace.msg), gone: span(leaveTrace.gone), told: span(leaveTrace.told) },
      }
    }
    case 'exit':
      setTimeout(() => process.exit(0), 50)
      return {}
    case 'counters': {
      const cpu = process.cpuUsage()
      const loopDelay = { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 }
      loop.reset()
      return { counters: { ...counters, cpuMicros: cpu.user + cpu.system, loopDelay } }
    }
  }
}

process.on('message', (message: Command & { seq: number }) => {
  handle(message).then(
    (result) => send({ seq: message.seq, ok: true, ...result }),
    (error: unknown) => send({ seq: message.seq, ok: false, error: String(error) }),
  )
})
send({ event: 'started' })
