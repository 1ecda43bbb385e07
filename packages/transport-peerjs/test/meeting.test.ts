/**
 * Meetings between separate processes over real WebRTC: each participant is a child process running
 * core's `createMeeting` with this transport, against a real PeerServer.
 */
import { type ConveneServer, createConveneServer } from '@convene/server'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { type ParticipantOptions, ParticipantProcess, type Report } from './support/participants.js'

/** core's default departure timeout. */
const DEPARTURE_TIMEOUT_MS = 3000

let server: ConveneServer | undefined
const running: ParticipantProcess[] = []
const measured: Record<string, number[]> = {}

function measure(name: string, ms: number): void {
  measured[name] ??= []
  measured[name].push(ms)
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()))
  await server?.close()
  server = undefined
})

afterAll(() => {
  const rows = Object.entries(measured).map(([name, values]) => {
    const sorted = [...values].sort((a, b) => a - b)
    return `${name.padEnd(34)} n=${String(values.length).padEnd(3)} min=${sorted[0]} median=${sorted[Math.floor(sorted.length / 2)]} max=${sorted.at(-1)} ms`
  })
  console.log(`\nMeasured over real WebRTC (node-datachannel), separate processes:\n${rows.join('\n')}\n`)
})

async function startServer(port = 0): Promise<ConveneServer> {
  server = await createConveneServer({ port })
  return server
}

async function spawn(options: Omit<ParticipantOptions, 'port'>): Promise<ParticipantProcess> {
  const participant = await ParticipantProcess.start({ port: server!.port, ...options })
  running.push(participant)
  return participant
}

async function join(participant: ParticipantProcess): Promise<Report> {
  const reply = await participant.command('join')
  expect(reply.ok, `join of ${participant.id}: ${String(reply.code)}`).toBe(true)
  const joined = await participant.waitFor((r) => r.event === 'meeting-joined')
  measure('join (join() to meeting-joined)', joined.at - reply.started!)
  return reply
}

async function rosterOf(participant: ParticipantProcess): Promise<string[]> {
  return (await participant.command('roster')).roster as string[]
}

async function rostersSettle(group: ParticipantProcess[], timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const rosters = await Promise.all(group.map(rosterOf))
    const ok = group.every((p, i) => {
      const expected = group
        .filter((o) => o !== p)
        .map((o) => o.id)
        .sort()
      return JSON.stringify(rosters[i]) === JSON.stringify(expected)
    })
    if (ok) return
    if (Date.now() > deadline) throw new Error(`rosters did not converge: ${JSON.stringify(rosters)}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const quiet = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('meetings across processes over real WebRTC', () => {
  it('B leaves (others see left once), C cannot end, the host ends for everyone', async () => {
    await startServer()
    const [a, b, c] = await Promise.all([
      spawn({ meetingId: 'standup', id: 'a', role: 'host' }),
      spawn({ meetingId: 'standup', id: 'b' }),
      spawn({ meetingId: 'standup', id: 'c' }),
    ])
    await join(a)
    await join(b)
    await join(c)
    await rostersSettle([a, b, c])

    // C is neither host nor alone: end() is refused and nothing changes.
    const refused = await c.command('end')
    expect(refused).toMatchObject({ ok: false, code: 'END_NOT_ALLOWED' })
    await quiet(500)
    expect(c.events('meeting-left')).toEqual([])
    await rostersSettle([a, b, c])

    const leave = await b.command('leave')
    expect(leave.ok).toBe(true)
    expect((await b.waitFor((r) => r.event === 'meeting-left')).reason).toBe('left')
    for (const other of [a, c]) {
      const left = await other.waitFor((r) => r.event === 'participant-left' && r.id === 'b')
      expect(left.reason).toBe('left')
      measure('leave propagation (leave() to participant-left)', left.at - leave.started!)
    }
    await quiet(DEPARTURE_TIMEOUT_MS + 500) // long enough for a spurious 'disconnected' to show up
    for (const other of [a, c])
      expect(other.events('participant-left').filter((r) => r.id === 'b')).toHaveLength(1)
    expect(b.events('meeting-left')).toHaveLength(1)

    const end = await a.command('end')
    expect(end.ok).toBe(true)
    for (const p of [a, c]) {
      const left = await p.waitFor((r) => r.event === 'meeting-left')
      expect(left.reason).toBe('ended')
      if (p !== a) measure('end propagation (end() to meeting-left)', left.at - end.started!)
    }
    await quiet(500)
    // No participant-left storm on end, and meeting-left exactly once.
    expect(c.events('participant-left').filter((r) => r.id === 'a')).toEqual([])
    for (const p of [a, c]) expect(p.events('meeting-left')).toHaveLength(1)
  }, 180_000)

  it('a SIGKILLed participant reads as disconnected, once, within the departure timeout', async () => {
    await startServer()
    const group = await Promise.all(['a', 'b', 'c'].map((id) => spawn({ meetingId: 'crash', id })))
    const [a, b, c] = group as [ParticipantProcess, ParticipantProcess, ParticipantProcess]
    for (const p of group) await join(p)
    await rostersSettle(group)

    const killedAt = c.crash()
    for (const other of [a, b]) {
      const left = await other.waitFor((r) => r.event === 'participant-left' && r.id === 'c', 20_000)
      expect(left.reason).toBe('disconnected')
      const detection = left.at - killedAt
      measure('crash detection (SIGKILL to participant-left)', detection)
      // The bound is the point: heartbeats, not PeerJS (17-29 s or never), detect the crash.
      expect(detection).toBeLessThanOrEqual(DEPARTURE_TIMEOUT_MS + 1500)
    }
    await quiet(1500)
    for (const other of [a, b]) expect(other.events('participant-left')).toHaveLength(1)
    expect(await rosterOf(a)).toEqual(['b'])
  }, 180_000)

  it('a participant rejoining right after its session was killed gets in at once', async () => {
    await startServer()
    const [a, b] = await Promise.all(['a', 'b'].map((id) => spawn({ meetingId: 'rejoin', id })))
    const c = await spawn({ meetingId: 'rejoin', id: 'c' })
    for (const p of [a!, b!, c]) await join(p)
    await rostersSettle([a!, b!, c])

    const fresh = await spawn({ meetingId: 'rejoin', id: 'c' }) // same participant, new process
    c.crash()
    const reply = await join(fresh)
    measure(
      'rejoin after SIGKILL (join() to joined)',
      (await fresh.waitFor((r) => r.event === 'meeting-joined')).at - reply.started!,
    )
    expect(reply.roster).toEqual(['a', 'b'])
    expect(fresh.events('meeting-left')).toEqual([])
    await rostersSettle([a!, b!, fresh])
  }, 180_000)

  it('five participants joining at the same moment converge to the same roster', async () => {
    await startServer()
    const group = await Promise.all(
      ['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => spawn({ meetingId: 'rush', id })),
    )
    await Promise.all(group.map((p) => join(p)))
    await rostersSettle(group, 45_000)
    for (const p of group) {
      const joinedIds = p.events('participant-joined').map((r) => r.id)
      // Each other participant was announced at most once.
      expect(new Set(joinedIds).size).toBe(joinedIds.length)
      expect(p.events('participant-left')).toEqual([])
    }
  }, 180_000)

  it('keeps the meeting going through a PeerServer restart, and a later joiner still gets in', async () => {
    const first = await startServer()
    const port = first.port
    const [a, b] = await Promise.all(['a', 'b'].map((id) => spawn({ meetingId: 'restart', id })))
    await join(a!)
    await join(b!)
    await rostersSettle([a!, b!])

    await first.close()
    server = undefined
    // Down for longer than the departure timeout: only live data links keep the two together.
    await quiet(DEPARTURE_TIMEOUT_MS + 1000)
    for (const p of [a!, b!]) {
      expect(p.events('participant-left')).toEqual([])
      expect(p.events('meeting-left')).toEqual([])
      // A signalling outage with the data link alive is not a disconnection.
      expect(p.events('meeting-state-changed').map((r) => r.state)).not.toContain('RECONNECTING')
    }
    await rostersSettle([a!, b!])

    await startServer(port)
    const c = await spawn({ meetingId: 'restart', id: 'c' })
    await join(c)
    await rostersSettle([a!, b!, c], 45_000)
    for (const p of [a!, b!]) expect(p.events('participant-left')).toEqual([])
  }, 180_000)
})
