/**
 * One meeting of four, each participant (and the PeerServer) a process inside a lossy network
 * namespace: joins one after the other, then a leave, a crash and an end, with every lifecycle event
 * each participant saw. Shared by test/lossy.test.ts and the lossy-network bench.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import type { LossyNetwork } from './lossyNetwork.js'
import { ParticipantProcess, type Report } from './participants.js'

const serverScript = fileURLToPath(new URL('./serverProcess.ts', import.meta.url))

export interface LossyMeetingResult {
  loss: number
  /** Per joiner after the first: join() until it and everyone before it see each other. */
  joinsMs: number[]
  /** leave() until the last other participant's participant-left(left). */
  leaveMs: number
  /** SIGKILL until the last other participant's participant-left(disconnected). */
  crashMs: number
  /** end() until the last other participant's meeting-left(ended). */
  endMs: number
  udpPackets: number
  droppedPackets: number
  /** What broke exactly-once, or an error event: empty when all is well. */
  violations: string[]
}

async function startServer(network: LossyNetwork) {
  const [command, ...args] = network.wrap([process.execPath, '--import', 'tsx', serverScript])
  const child = spawn(command!, args, { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (m: { port: number }) => resolve(m.port))
    child.once('exit', (code) => reject(new Error(`the server process exited (${code})`)))
  })
  return {
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve()
        child.once('exit', () => resolve())
        child.kill('SIGKILL')
      }),
  }
}

const after = (since: number, match: (r: Report) => boolean) => (r: Report) => r.at >= since && match(r)
const joined = (id: string) => (r: Report) => r.event === 'participant-joined' && r.id === id
const left = (id: string, reason: string) => (r: Report) =>
  r.event === 'participant-left' && r.id === id && r.reason === reason

export async function lossyMeeting(
  network: LossyNetwork,
  loss: number,
  {
    stepTimeoutMs = 60_000,
    timing = {},
    joinsOnly = false,
  }: {
    stepTimeoutMs?: number
    timing?: { heartbeatIntervalMs?: number; departureTimeoutMs?: number }
    /** Stop after the joins: no leave, crash or end (their latencies are then `NaN`). */
    joinsOnly?: boolean
  } = {},
): Promise<LossyMeetingResult> {
  network.setLoss(loss)
  const server = await startServer(network)
  const people: ParticipantProcess[] = []
  try {
    const ids = ['host', 'b', 'c', 'd']
    people.push(
      ...(await Promise.all(
        ids.map((id, i) =>
          ParticipantProcess.start({
            port: server.port,
            meetingId: 'lossy',
            id,
            role: id === 'host' ? 'host' : 'participant',
            wrap: network.wrap,
            bindAddress: network.addresses[i % 2],
            ...timing,
          }),
        ),
      )),
    )
    const [host, b, c, d] = people as [
      ParticipantProcess,
      ParticipantProcess,
      ParticipantProcess,
      ParticipantProcess,
    ]

    const joinsMs: number[] = []
    for (const [i, joiner] of people.entries()) {
      const since = Date.now()
      const reply = await joiner.command('join', stepTimeoutMs)
      if (reply.ok !== true) throw new Error(`${joiner.id}'s join failed: ${String(reply.code)}`)
      const before = people.slice(0, i)
      // Whoever is in the room at meeting-joined is in the join's roster; whoever links later comes
      // as participant-joined.
      const inRoster = new Set(reply.roster as string[])
      const seen = await Promise.all([
        ...before.map((p) =>
          p.waitFor(after(since, joined(joiner.id)), stepTimeoutMs, `${joiner.id} joined`),
        ),
        ...before.map((p) =>
          inRoster.has(p.id)
            ? reply
            : joiner.waitFor(after(since, joined(p.id)), stepTimeoutMs, `${p.id} joined`),
        ),
      ])
      if (i > 0) joinsMs.push(Math.max(...seen.map((r) => r.at)) - since)
    }

    if (joinsOnly) {
      const { udp, dropped } = network.counters()
      const [leaveMs, crashMs, endMs] = [Number.NaN, Number.NaN, Number.NaN]
      return {
        loss,
        joinsMs,
        leaveMs,
        crashMs,
        endMs,
        udpPackets: udp,
        droppedPackets: dropped,
        violations: [],
      }
    }

    const leaveAt = Date.now()
    await c.command('leave', stepTimeoutMs)
    const leaves = await Promise.all(
      [host, b, d].map((p) => p.waitFor(after(leaveAt, left('c', 'left')), stepTimeoutMs, 'c left')),
    )

    const crashAt = d.crash()
    const crashes = await Promise.all(
      [host, b].map((p) =>
        p.waitFor(after(crashAt, left('d', 'disconnected')), stepTimeoutMs, 'd disconnected'),
      ),
    )

    const endAt = Date.now()
    await host.command('end', stepTimeoutMs)
    const ended = await b.waitFor(
      after(endAt, (r) => r.event === 'meeting-left' && r.reason === 'ended'),
      stepTimeoutMs,
      'meeting-left(ended)',
    )
    // Time for a duplicate or a late false alarm to show.
    await new Promise((resolve) => setTimeout(resolve, 1500))

    const { udp, dropped } = network.counters()
    return {
      loss,
      joinsMs,
      leaveMs: Math.max(...leaves.map((r) => r.at)) - leaveAt,
      crashMs: Math.max(...crashes.map((r) => r.at)) - crashAt,
      endMs: ended.at - endAt,
      udpPackets: udp,
      droppedPackets: dropped,
      violations: violations(people),
    }
  } finally {
    await Promise.all(people.map((p) => p.stop()))
    await server.stop()
  }
}

/** Every participant saw each other join once, and each departure once, for what it was. */
function violations(people: ParticipantProcess[]): string[] {
  const expectedLeft: Record<string, string[]> = {
    host: ['c left', 'd disconnected'],
    b: ['c left', 'd disconnected'],
    c: [],
    d: ['c left'],
  }
  const found: string[] = []
  for (const p of people) {
    const lefts = p.events('participant-left').map((r) => `${String(r.id)} ${String(r.reason)}`)
    if (JSON.stringify(lefts.sort()) !== JSON.stringify(expectedLeft[p.id]))
      found.push(`${p.id} saw participant-left: ${lefts.join(', ') || 'none'}`)
    const joins = p.events('participant-joined').map((r) => String(r.id))
    const initial = p.reports.find((r) => r.reply !== undefined && Array.isArray(r.roster))
    joins.push(...((initial?.roster as string[] | undefined) ?? []))
    if (new Set(joins).size !== joins.length)
      found.push(`${p.id} saw participant-joined: ${joins.join(', ')}`)
    for (const e of p.events('error')) found.push(`${p.id} error ${String(e.code)}: ${String(e.message)}`)
    const meetingLeft = p.events('meeting-left').map((r) => String(r.reason))
    const want = p.id === 'c' ? ['left'] : p.id === 'd' ? [] : p.id === 'host' ? ['ended'] : ['ended']
    if (JSON.stringify(meetingLeft) !== JSON.stringify(want))
      found.push(`${p.id} saw meeting-left: ${meetingLeft.join(', ') || 'none'}`)
  }
  return found
}
