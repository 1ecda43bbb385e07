/**
 * A participant whose process stops running (SIGSTOP: a CPU starved for seconds, a laptop lid closed)
 * is declared gone by the others, and must be let back in as soon as it runs again: its roster entry
 * comes back at everyone, told once as a departure and once as an arrival, over real WebRTC between
 * separate processes. A live participant must never stay missing from a roster.
 */
import { type ConveneServer, createConveneServer } from '@convene/server'
import { afterEach, describe, expect, it } from 'vitest'
import { ParticipantProcess, type Report } from './support/participants.js'

let server: ConveneServer | undefined
const running: ParticipantProcess[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()))
  await server?.close()
  server = undefined
})

/**
 * Beyond the server's liveness timeout (`aliveTimeoutMs`, 10 s): its pings stop, the server closes its
 * socket and tells the room, and every other participant declares it gone.
 */
const FROZEN_MS = 13_000

async function rosterOf(p: ParticipantProcess): Promise<string[]> {
  return (await p.command('roster')).roster as string[]
}

/** Until every participant's roster lists all the others. */
async function allRostersFull(people: ParticipantProcess[], what: string): Promise<void> {
  const deadline = Date.now() + 30_000
  for (;;) {
    const rosters = await Promise.all(people.map(rosterOf))
    if (rosters.every((r) => r.length === people.length - 1)) return
    if (Date.now() > deadline)
      throw new Error(`${what}: ${people.map((p, i) => `${p.id} has [${rosters[i]}]`).join('; ')}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const about = (id: string, since: number) => (r: Report) =>
  r.at >= since && r.id === id && (r.event === 'participant-left' || r.event === 'participant-joined')

describe('a participant frozen for longer than the departure allowance', () => {
  it('is declared gone once, and let back in once, by everyone, as soon as it runs again', async () => {
    server = await createConveneServer({ port: 0 })
    for (const id of ['host', 'b', 'c', 'd']) {
      const p = await ParticipantProcess.start({
        port: server.port,
        meetingId: 'frozen',
        id,
        role: id === 'host' ? 'host' : 'participant',
      })
      running.push(p)
      expect((await p.command('join')).ok).toBe(true)
    }
    await allRostersFull(running, 'before the freeze')
    const [host, b, c, d] = running as [
      ParticipantProcess,
      ParticipantProcess,
      ParticipantProcess,
      ParticipantProcess,
    ]

    for (const round of [1, 2]) {
      const frozenAt = Date.now()
      await c.freeze(FROZEN_MS)
      await allRostersFull(running, `after freeze ${round}`)
      for (const observer of [host, b, d]) {
        const told = observer.reports
          .filter(about('c', frozenAt))
          .map((r) => `${r.event} ${r.reason ?? ''}`.trim())
        expect(told, `${observer.id}, freeze ${round}`).toEqual([
          'participant-left disconnected',
          'participant-joined',
        ])
      }
      // Its own clock stood still while it was stopped: it declares nobody gone.
      expect(c.events('participant-left')).toEqual([])
    }
    for (const p of running) expect(p.events('error'), p.id).toEqual([])
  })
})
