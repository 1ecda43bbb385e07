/**
 * The same meeting of 8 over PeerJS (a WebRTC mesh, node-datachannel, signalled by node A's PeerServer)
 * and over Socket.IO (the relay on two nodes and Redis): each participant in its own process, core's
 * default timings, the same trials on both. Wall-clock times (`performance.timeOrigin + performance.now()`).
 */
import { type NotMeasured, progress } from '../lib/output.js'
import { type Distribution, distribution, wallClock } from '../lib/stats.js'
import { Cluster } from './cluster.js'
import { Group } from './Group.js'
import type { Departure, GroupTransport, JoinTimes } from './protocol.js'

export type Of8Row = {
  name: string
  peerjs: Distribution | NotMeasured
  socketio: Distribution | NotMeasured
}
export interface MeetingOf8Result {
  trials: number
  rows: Of8Row[]
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const why = (error: unknown) => (error instanceof Error ? error.message : String(error))

async function waitUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  what: string,
) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await read()
    if (done(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(20)
  }
}

type Measures = Record<'join' | 'leave' | 'crash' | 'end', number[]>

async function trials(
  transport: (i: number) => GroupTransport,
  auth: { tokenUrl: string; jwksUrl: string } | null,
  count: number,
  failures: Partial<Record<keyof Measures, string>>,
): Promise<Measures> {
  const measures: Measures = { join: [], leave: [], crash: [], end: [] }
  const start = (id: string, i: number) =>
    Group.start({
      meetingId: 'meeting-of-8',
      participants: [{ id, role: id === 'host' ? 'host' : 'participant' }],
      transport: transport(i),
      auth,
      timing: {},
    })
  const ids = ['host', 'b', 'c', 'd', 'e', 'f', 'g', 'h']
  const people = await Promise.all(ids.map((id, i) => start(id, i)))
  const seven = people.slice(0, 7)
  const eighth = people[7]!
  const told = async (group: Group[], subject: string, reason: string, since: number) => {
    const all = await Promise.all(
      group.map((g) => g.command<{ departures: Departure[] }>({ cmd: 'departures', since })),
    )
    const about = all.map((r) => r.departures.find((d) => d.subject === subject && d.reasons[reason]))
    return about.every(Boolean) ? Math.max(...about.map((d) => d!.last)) : null
  }
  const everyoneSees = async (group: Group[]) =>
    waitUntil(
      () => Promise.all(group.map((g) => g.command<{ joins: JoinTimes[] }>({ cmd: 'joins' }))),
      (all) => all.every((r) => r.joins[0]!.full !== null),
      30_000,
      'everyone to see everyone',
    )
  const target = (group: Group[], size: number) =>
    Promise.all(group.map((g) => g.command({ cmd: 'target', size })))
  const attempt = async (name: keyof Measures, body: () => Promise<void>) => {
    try {
      await body()
    } catch (error) {
      failures[name] = `${measures[name].length} of ${count} trials, then ${why(error)}`
      progress(`meeting of 8, ${name}: ${failures[name]}`)
    }
  }
  try {
    await target(seven, 6)
    await Promise.all(seven.map((g) => g.command({ cmd: 'join', concurrency: 1 })))
    await everyoneSees(seven)

    // The 8th joins (join() → resolved), everyone sees it, then it leaves (leave() → the last of 7 told).
    await attempt('join', async () => {
      for (let t = 0; t < count; t++) {
        await target(people, 7)
        await eighth.command({ cmd: 'join', concurrency: 1 })
        const [j] = (await eighth.command<{ joins: JoinTimes[] }>({ cmd: 'joins' })).joins
        measures.join.push(j!.joined! - j!.started!)
        await everyoneSees(people)
        const { started } = await eighth.command<{ started: number }>({ cmd: 'leave', id: 'h' })
        const last = await waitUntil(
          () => told(seven, 'h', 'left', started),
          (at) => at !== null,
          30_000,
          'leave to be told',
        )
        measures.leave.push(last! - started)
      }
    })

    // A crash: a fresh participant joins, everyone sees it, SIGKILL → the last of 7 told `disconnected`.
    await attempt('crash', async () => {
      let next = start('victim-0', 7)
      for (let t = 0; t < count; t++) {
        const victim = await next
        await target([...seven, victim], 7)
        await victim.command({ cmd: 'join', concurrency: 1 })
        await everyoneSees([...seven, victim])
        next = start(`victim-${t + 1}`, 7) // boots while this one is being detected
        const crashed = victim.crash()
        const last = await waitUntil(
          () => told(seven, `victim-${t}`, 'disconnected', crashed),
          (at) => at !== null,
          30_000,
          'the crash to be told',
        )
        measures.crash.push(last! - crashed)
      }
      await (await next).stop()
    })

    // The host ends the meeting for 7: end() → the last of them told `meeting-left(ended)`.
    await attempt('end', async () => {
      for (let t = 0; t < count; t++) {
        await target(people, 7)
        await Promise.all(people.map((g) => g.command({ cmd: 'join', concurrency: 1 })))
        await everyoneSees(people)
        const { started } = await people[0]!.command<{ started: number }>({ cmd: 'end', id: 'host' })
        const ended = await waitUntil(
          () =>
            Promise.all(
              people
                .slice(1)
                .map((g) =>
                  g.command<{ ended: Array<{ reason: string | null; at: number | null }> }>({ cmd: 'ended' }),
                ),
            ),
          (all) => all.every((r) => r.ended[0]!.reason === 'ended'),
          30_000,
          'the end to be told',
        )
        measures.end.push(Math.max(...ended.map((r) => r.ended[0]!.at!)) - started)
        await sleep(200)
      }
    })
  } finally {
    await Promise.all(people.map((g) => g.stop()))
  }
  return measures
}

export async function meetingOf8(options: { trials: number; auth: boolean }): Promise<MeetingOf8Result> {
  const cluster = await Cluster.start(options.auth)
  const auth = options.auth ? { tokenUrl: cluster.tokenUrl, jwksUrl: cluster.jwksUrl } : null
  const [a, b] = cluster.nodes as [(typeof cluster.nodes)[0], (typeof cluster.nodes)[0]]
  const failures = { peerjs: {}, socketio: {} } as Record<
    'peerjs' | 'socketio',
    Partial<Record<keyof Measures, string>>
  >
  let peerjs: Measures
  let socketio: Measures
  const started = wallClock()
  try {
    peerjs = await trials(() => ({ kind: 'peerjs', port: a.port }), auth, options.trials, failures.peerjs)
    progress(`meeting of 8 over PeerJS: ${((wallClock() - started) / 1000).toFixed(0)} s`)
    // Half on each node, as behind a load balancer.
    socketio = await trials(
      (i) => ({ kind: 'socketio', urls: i % 2 === 0 ? [a.url, b.url] : [b.url, a.url] }),
      auth,
      options.trials,
      failures.socketio,
    )
  } finally {
    await cluster.stop()
  }
  const cell = (
    kind: 'peerjs' | 'socketio',
    m: Measures,
    name: keyof Measures,
  ): Distribution | NotMeasured =>
    failures[kind][name] && m[name].length < options.trials
      ? { notMeasured: failures[kind][name]! }
      : m[name].length
        ? distribution(m[name])
        : { notMeasured: failures[kind][name] ?? 'no trial' }
  const row = (name: string, key: keyof Measures): Of8Row => ({
    name,
    peerjs: cell('peerjs', peerjs, key),
    socketio: cell('socketio', socketio, key),
  })
  return {
    trials: options.trials,
    rows: [
      row('join, 8th of 8 (join() → resolved)', 'join'),
      row('leave (leave() → last of 7 told participant-left)', 'leave'),
      row('end (end() → last of 7 told meeting-left ended)', 'end'),
      row('crash detection (SIGKILL → last of 7 told disconnected)', 'crash'),
    ],
  }
}
