/**
 * One meeting of N over the Socket.IO relay: two server nodes and Redis (`Cluster`), the participants
 * in a few processes (`Group`), half of them on each node. In order: everyone joins; the steady state
 * is measured; a few leave one by one; node A is killed with SIGKILL while one participant of node B
 * leaves; the host ends the meeting. Times are wall-clock (`performance.timeOrigin + performance.now()`)
 * taken in each process on this one machine.
 */
import { progress } from '../lib/output.js'
import { distribution, round, wallClock } from '../lib/stats.js'
import { type BigMeetingResult, failoverLimit, type Load, limitOf } from './bigMeetingResult.js'
import { Cluster, cpuMsOf as cpuOf, machineBusyMs } from './cluster.js'
import { failoverTrace, tracing } from './failoverTrace.js'
import { everyGroup, Group } from './Group.js'
import type { Counters, Departure, JoinTimes, Recovery, TraceEntry } from './protocol.js'

export interface BigMeetingOptions {
  n: number
  groups: number
  auth: boolean
  /** Joins in flight per group. */
  concurrency: number
  /** The meeting's join pace, joins per second over all groups (0: as fast as `concurrency` allows). */
  joinsPerSecond: number
  steadySeconds: number
  leaveTrials: number
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/** One receiver of `end()`: when it was told (`meeting-left`), when its transport handed it the END. */
interface EndSeen {
  id: string
  reason: string | null
  at: number | null
  endHeard: number | null
  goneBefore: number
  goneAfter: number
  group: string
}

/** Where `end()` → told goes: the END's way to each receiver, its handling there, the departures before it. */
function endBreakdown(seen: EndSeen[], started: number) {
  const heard = seen.filter((e) => e.endHeard !== null)
  const handled = heard.filter((e) => e.at !== null)
  return {
    endHeard: heard.length ? distribution(heard.map((e) => e.endHeard! - started)) : null,
    heardToTold: handled.length ? distribution(handled.map((e) => e.at! - e.endHeard!)) : null,
    departuresBeforeEnd: distribution(seen.map((e) => e.goneBefore)),
    departuresBeforeEndTotal: seen.reduce((s, e) => s + e.goneBefore, 0),
    departuresAfterEndTotal: seen.reduce((s, e) => s + e.goneAfter, 0),
    endHeardByGroup: Object.fromEntries(
      [...new Set(heard.map((e) => e.group))].map((g) => [
        g,
        distribution(heard.filter((e) => e.group === g).map((e) => e.endHeard! - started)),
      ]),
    ),
  }
}

const why = (error: unknown) => (error instanceof Error ? error.message : String(error))

/** Polls `read` until `done`, or until it has made no progress for `stallMs`. */
async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  progressOf: (value: T) => number,
  stallMs: number,
): Promise<{ value: T; done: boolean }> {
  let best = -1
  let lastProgress = Date.now()
  for (;;) {
    const value = await read()
    if (done(value)) return { value, done: true }
    const p = progressOf(value)
    if (p > best) {
      best = p
      lastProgress = Date.now()
    } else if (Date.now() - lastProgress > stallMs) return { value, done: false }
    await sleep(250)
  }
}

export async function bigMeeting(options: BigMeetingOptions): Promise<BigMeetingResult> {
  const { n } = options
  const meetingId = `town-hall-${n}${options.auth ? '' : '-open'}`
  const cluster = await Cluster.start(options.auth, meetingId)
  const [a, b] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0]]
  const ids = Array.from({ length: n }, (_, i) => (i === 0 ? 'host' : `p${i}`))
  // Even indexes on node A (the one killed), odd on node B; each falls over to the other.
  const onA = new Set(ids.filter((_, i) => i % 2 === 0))
  const groups: Group[] = []
  const result: BigMeetingResult = {
    n,
    auth: options.auth,
    setup: {
      groups: options.groups,
      concurrency: options.concurrency,
      joinsPerSecond: options.joinsPerSecond,
      relay: cluster.relayTiming,
    },
    limit: null,
    join: {
      allSeconds: null,
      ms: { notMeasured: 'not reached' },
      whole: 0,
      failed: 0,
      failedAttempts: 0,
      rosters: { min: 0, median: 0, max: 0 },
      streamAdded: 0,
      departures: {},
      relayEvents: {},
      load: { notMeasured: 'not reached' },
    },
    steady: { notMeasured: 'not reached' },
    leave: { ms: { notMeasured: 'not reached' }, told: {} },
    failover: { notMeasured: 'not reached' },
    end: { ms: { notMeasured: 'not reached' }, notTold: 0, nodes: 1 },
    errors: {},
    errorSamples: {},
  }
  const gone = new Set<string>()
  const present = () => ids.filter((id) => !gone.has(id))
  const departuresOf = async (since = 0) =>
    (await everyGroup<{ departures: Departure[] }>(groups, { cmd: 'departures', since })).flatMap(
      (r) => r.departures,
    )
  const toldAbout = (all: Departure[], subject: string) => {
    const mine = all.filter((d) => d.subject === subject)
    const count = (reason?: string) =>
      mine.reduce(
        (sum, d) =>
          sum + Object.entries(d.reasons).reduce((s, [r, c]) => s + (!reason || r === reason ? c : 0), 0),
        0,
      )
    return {
      count,
      last: Math.max(0, ...mine.map((d) => d.last)),
      repeated: mine.reduce((s, d) => s + d.repeated, 0),
      mine,
    }
  }
  type Snapshot = Awaited<ReturnType<typeof snapshot>>
  const snapshot = async () => ({
    at: wallClock(),
    counters: (await everyGroup<{ counters: Counters }>(groups, { cmd: 'counters' })).map((r) => r.counters),
    nodes: [a, b].map((node) => cpuOf(node.pid)),
    redis: await cluster.redisCpuMs(),
    machine: machineBusyMs(),
  })
  const load = (before: Snapshot, after: Snapshot): Load => {
    const seconds = (after.at - before.at) / 1000
    const percent = (ms: number) => round(ms / seconds / 10)
    const clientMs = after.counters.reduce((t, c, i) => t + c.cpuMicros - before.counters[i]!.cpuMicros, 0)
    return {
      seconds: round(seconds),
      nodeCpuPercent: after.nodes.map((ms, i) => percent(ms - before.nodes[i]!)),
      redisCpuPercent: percent(after.redis - before.redis),
      clientsCpuPercent: percent(clientMs / 1000),
      machineCpuPercent: percent(after.machine - before.machine),
      clientLoopDelay: {
        p99: round(Math.max(...after.counters.map((c) => c.loopDelay.p99))),
        max: round(Math.max(...after.counters.map((c) => c.loopDelay.max))),
      },
    }
  }
  try {
    for (let g = 0; g < options.groups; g++) {
      const mine = ids.filter((_, i) => i % options.groups === g)
      groups.push(
        await Group.start({
          meetingId,
          participants: mine.map((id) => ({
            id,
            role: id === 'host' ? 'host' : 'participant',
            firstUrl: onA.has(id) ? 0 : 1,
          })),
          transport: { kind: 'socketio', urls: [a.url, b.url] },
          auth: options.auth ? { tokenUrl: cluster.tokenUrl, jwksUrl: cluster.jwksUrl } : null,
          timing: { joinTimeoutMs: 120_000 },
        }),
      )
    }
    await everyGroup(groups, { cmd: 'target', size: n - 1 })

    // Join: the host first, then everyone else, `concurrency` joins in flight per group.
    const hostGroup = groups.find((g) => g.ids.includes('host'))!
    await hostGroup.command({ cmd: 'join', ids: ['host'], concurrency: 1 })
    const streamBefore = (await cluster.adapterStream()).added
    const beforeJoin = await snapshot()
    const joinStarted = wallClock()
    const joining = Promise.all(
      groups.map((g) =>
        g.command({
          cmd: 'join',
          ids: g.ids.filter((id) => id !== 'host'),
          concurrency: options.concurrency,
          perSecond: options.joinsPerSecond / groups.length,
        }),
      ),
    )
    void joining.catch(() => {})
    const joins = await until(
      async () =>
        (await everyGroup<{ joins: JoinTimes[] }>(groups, { cmd: 'joins' })).flatMap((r) => r.joins),
      (all) => all.every((j) => j.full !== null),
      // Progress is any roster growing, not only rosters becoming whole: hellos arrive all along.
      (all) => all.reduce((sum, j) => sum + j.roster + (j.joined === null ? 0 : 1), 0),
      60_000,
    )
    result.join.load = load(beforeJoin, await snapshot())
    result.join.whole = joins.value.filter((j) => j.full !== null).length
    result.join.failed = joins.value.filter((j) => j.joined === null).length
    result.join.failedAttempts = joins.value.reduce((sum, j) => sum + j.failures, 0)
    const sizes = joins.value.map((j) => j.roster).sort((x, y) => x - y)
    result.join.streamAdded = (await cluster.adapterStream()).added - streamBefore
    for (const node of [a, b]) {
      for (const [event, count] of node.events) {
        result.join.relayEvents[event] = (result.join.relayEvents[event] ?? 0) + count
      }
    }
    for (const d of await departuresOf()) {
      for (const [reason, count] of Object.entries(d.reasons)) {
        result.join.departures[reason] = (result.join.departures[reason] ?? 0) + count
      }
    }
    result.join.rosters = { min: sizes[0]!, median: sizes[Math.floor(sizes.length / 2)]!, max: sizes.at(-1)! }
    const joinMs = joins.value.filter((j) => j.joined && j.started).map((j) => j.joined! - j.started!)
    result.join.ms = joinMs.length ? distribution(joinMs) : { notMeasured: 'no join resolved' }
    if (!joins.done) {
      result.limit = limitOf(result.join, cluster.relay.pingTimeoutMs)
      progress(
        `N=${n}: ${result.join.whole} of ${n} rosters whole; no progress for 60 s: ${JSON.stringify(result.join)}`,
      )
      throw new Error(`joins stalled: ${result.join.whole} of ${n} saw everyone`)
    }
    result.join.allSeconds = round((Math.max(...joins.value.map((j) => j.full!)) - joinStarted) / 1000)
    progress(`N=${n}: all joined in ${result.join.allSeconds} s; join() ${JSON.stringify(result.join.ms)}`)

    // Steady state: a quiet meeting, counted over a window.
    await sleep(3_000)
    const before = await snapshot()
    await sleep(options.steadySeconds * 1000)
    const after = await snapshot()
    const seconds = (after.at - before.at) / 1000
    const sum = (s: Snapshot, f: (c: Counters) => number) => s.counters.reduce((t, c) => t + f(c), 0)
    const rate = (f: (c: Counters) => number) => Math.round((sum(after, f) - sum(before, f)) / seconds)
    result.steady = {
      ...load(before, after),
      inPerSecond: rate((c) => c.sentToOne + c.sentToAll),
      outPerSecond: rate((c) => c.received),
    }
    progress(`N=${n}: steady ${JSON.stringify(result.steady)}`)
    if (process.env.BENCH_SCALE_UNTIL === 'steady')
      throw new Error('stopped after the steady state (BENCH_SCALE_UNTIL)')

    // Leaves, one by one, from node B's side (node A's participants are the failover's).
    const leaveMs: number[] = []
    const leavers = ids.filter((id) => !onA.has(id)).slice(0, options.leaveTrials)
    const tally: Record<string, number> = {}
    for (const id of leavers) {
      const group = groups.find((g) => g.ids.includes(id))!
      const observers = present().length - 1
      const { started } = await group.command<{ started: number }>({ cmd: 'leave', id })
      gone.add(id)
      const told = await until(
        departuresOf,
        (all) => toldAbout(all, id).count() >= observers,
        (all) => toldAbout(all, id).count(),
        15_000,
      )
      const about = toldAbout(told.value, id)
      for (const d of about.mine) {
        for (const [reason, count] of Object.entries(d.reasons)) tally[reason] = (tally[reason] ?? 0) + count
      }
      tally.twice = (tally.twice ?? 0) + about.repeated
      if (!told.done) throw new Error(`leave of ${id}: told ${about.count()} of ${observers}`)
      leaveMs.push(about.last - started)
      if (tracing) {
        // Per client process, ms after leave(): LEAVEs its transports handed over, departures, told.
        const spans = await Promise.all(
          groups.map((g) =>
            g.command<{ leaveTrace: unknown }>({
              cmd: 'leave-trace',
              since: started,
              until: started + 5_000,
            }),
          ),
        )
        progress(
          `N=${n}: leave of ${id} (${round(about.last - started)} ms) by process: ${JSON.stringify(spans.map((s) => s.leaveTrace))}`,
        )
      }
    }
    result.leave = {
      ms: distribution(leaveMs),
      told: tally,
    }
    await everyGroup(groups, { cmd: 'target', size: present().length - 1 })
    progress(`N=${n}: leave ${JSON.stringify(result.leave)}`)

    // BENCH_SCALE_SKIP_FAILOVER=1: the end right after the leaves, on both nodes (not hostage to a failover
    // the machine could not carry).
    if (process.env.BENCH_SCALE_SKIP_FAILOVER !== '1') {
      // SIGKILL of node A; one participant of node B leaves during the outage.
      const beforeKill = await snapshot()
      const eventsBefore = new Map(b.events)
      const killedAt = a.kill()
      const outageLeaver = ids.filter((id) => !onA.has(id) && !gone.has(id) && id !== 'host').at(-1)!
      const observers = present().length - 1
      await groups.find((g) => g.ids.includes(outageLeaver))!.command({ cmd: 'leave', id: outageLeaver })
      gone.add(outageLeaver)
      await everyGroup(groups, { cmd: 'target', size: present().length - 1 })
      const movers = present().filter((id) => onA.has(id))
      const back = await until(
        async () =>
          (await everyGroup<{ recoveries: Recovery[] }>(groups, { cmd: 'states', since: killedAt }))
            .flatMap((r) => r.recoveries)
            .filter((r) => onA.has(r.id) && !gone.has(r.id)),
        (all) => all.every((r) => r.back !== null),
        (all) => all.filter((r) => r.back !== null).length,
        30_000,
      )
      const failoverLoad = load(beforeKill, await snapshot())
      const failoverEvents = Object.fromEntries(
        [...b.events]
          .map(([event, count]) => [event, count - (eventsBefore.get(event) ?? 0)])
          .filter(([, c]) => c),
      )
      const trace = tracing
        ? failoverTrace(
            killedAt,
            back.value,
            (await everyGroup<{ trace: TraceEntry[] }>(groups, { cmd: 'trace', since: killedAt })).flatMap(
              (r) => r.trace,
            ),
            b.trace,
          )
        : undefined
      // Past core's departure timeout (3 s) and the relay's: a late `participant-left` for someone who came back would show now.
      await sleep(5_000)
      const all = await departuresOf(killedAt)
      const backAt = new Map(back.value.map((r) => [r.id, r.back]))
      const toldCount = (list: Departure[]) =>
        list.reduce((s, d) => s + Object.values(d.reasons).reduce((x, y) => x + y, 0), 0)
      const falsely = all.filter((d) => !gone.has(d.subject))
      const withinGrace = (id: string) => {
        const at = backAt.get(id)
        // A dead node's sessions are held for the failover grace once it is found dead.
        return at === undefined || (at !== null && at - killedAt <= cluster.relay.failoverGraceMs)
      }
      const rosters = (await everyGroup<{ joins: JoinTimes[] }>(groups, { cmd: 'joins' }))
        .flatMap((r) => r.joins)
        .filter((j) => !gone.has(j.id))
      const leaverTold = toldAbout(all, outageLeaver)
      result.failover = {
        ms: distribution(back.value.filter((r) => r.back !== null).map((r) => r.back! - killedAt)),
        moved: movers.length,
        notBack: back.value.filter((r) => r.back === null).length,
        falseDepartures: toldCount(falsely),
        falseWithinGrace: toldCount(falsely.filter((d) => withinGrace(d.subject))),
        outageLeave: {
          told:
            leaverTold.mine.reduce((s, d) => s + Object.values(d.reasons).reduce((x, y) => x + y, 0), 0) -
            leaverTold.repeated,
          of: observers,
          repeated: leaverTold.repeated,
          reasons: Object.fromEntries(
            ['left', 'disconnected', 'removed'].map((r) => [r, leaverTold.count(r)]).filter(([, c]) => c),
          ),
        },
        rostersRight: rosters.filter((j) => j.roster === present().length - 1).length,
        present: present().length,
        load: failoverLoad,
        relayEvents: failoverEvents,
        limit: null,
        ...(trace ? { trace } : {}),
      }
      result.failover.limit = failoverLimit(result.failover, cluster.relay)
      progress(`N=${n}: failover ${JSON.stringify(result.failover)}`)
    }

    // The host (on node B by then, like everyone, unless the failover was skipped) ends the meeting.
    const { started } = await hostGroup.command<{ started: number }>({ cmd: 'end', id: 'host' })
    const ended = await until(
      async () =>
        (await everyGroup<{ ended: EndSeen[] }>(groups, { cmd: 'ended', since: started }))
          .flatMap((r) => r.ended)
          .filter((e) => !gone.has(e.id) && e.id !== 'host'),
      (all) => all.every((e) => e.reason === 'ended'),
      (all) => all.filter((e) => e.reason === 'ended').length,
      10_000,
    )
    const told = ended.value.filter((e) => e.reason === 'ended').map((e) => e.at! - started)
    result.end = {
      ms: told.length ? distribution(told) : { notMeasured: 'nobody was told' },
      notTold: ended.value.length - told.length,
      nodes: 1,
    }
    progress(`N=${n}: end ${JSON.stringify(result.end)}`)
    progress(`N=${n}: end, where the time goes ${JSON.stringify(endBreakdown(ended.value, started))}`)
  } catch (error) {
    progress(`N=${n}: stopped: ${why(error)}`)
    if ('notMeasured' in result.steady) result.steady = { notMeasured: why(error) }
  } finally {
    const counters = await everyGroup<{ counters: Counters }>(groups, { cmd: 'counters' }, 10_000).catch(
      () => [],
    )
    for (const { counters: c } of counters) {
      for (const [code, messages] of Object.entries(c.samples)) {
        const kept = result.errorSamples[code] ?? []
        for (const m of messages) if (kept.length < 3 && !kept.includes(m)) kept.push(m)
        result.errorSamples[code] = kept
      }
      for (const [code, count] of Object.entries(c.errors))
        result.errors[code] = (result.errors[code] ?? 0) + count
    }
    await Promise.all(groups.map((g) => g.stop()))
    await cluster.stop()
  }
  return result
}
