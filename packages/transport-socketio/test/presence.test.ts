/**
 * Presence over the relay is the server's: a real client process killed with SIGKILL is told gone to
 * the others once, with the crash reason, after the relay's grace period; and a meeting at steady
 * state costs the server a number of packets linear in its size (pings), not quadratic (heartbeats).
 */
import type { Transport } from '@convene/core'
import { type ConveneServer, createConveneServer } from '@convene/server'
import { createSocketIOTransport } from '@convene/transport-socketio'
import { afterEach, describe, expect, it } from 'vitest'
import { type ClientNode, startClient } from './support/clientNode.js'
import { allSeeEachOther, type Person, percentiles, person, waitFor } from './support/people.js'

// Shorter than the defaults (2.5 s + 2.5 s ping, 5 s grace) so the test runs faster; the same mechanism.
const RELAY = { pingIntervalMs: 1_000, pingTimeoutMs: 1_000, recoveryMs: 2_000 }
/** How often the relay looks for held departures that are due (createRelay's sweep). */
const SWEEP_MS = 250

let server: ConveneServer | undefined
const people: Person[] = []
const clients: ClientNode[] = []

afterEach(async () => {
  for (const p of people.splice(0)) p.meeting.dispose()
  await Promise.all(clients.splice(0).map((c) => c.kill()))
  await server?.close()
  server = undefined
})

const noAuth = { tokenUrl: null, jwksUrl: null }
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('presence by the relay', () => {
  it('a client process killed with SIGKILL: the others are told participant-left(disconnected) once, after the grace period', async () => {
    server = await createConveneServer({ logger: 'silent', relay: RELAY })
    const transport = createSocketIOTransport({ url: server.url })
    const watchers = ['host', 'p1', 'p2'].map((id, i) =>
      person(id, i === 0 ? 'host' : 'participant', transport, noAuth),
    )
    people.push(...watchers)
    for (const p of watchers) await p.meeting.join()
    const latencies: number[] = []
    const rounds = 5
    for (let round = 0; round < rounds; round++) {
      const id = `crasher${round}`
      const client = await startClient(id, [server.url])
      clients.push(client)
      await waitFor(
        () => watchers.every((p) => p.meeting.participants.has(id)),
        10_000,
        `${id} to be seen by all`,
      )
      const killed = Date.now()
      await client.kill()
      await waitFor(
        () => watchers.every((p) => p.left.some((l) => l.id === id)),
        RELAY.recoveryMs + 10_000,
        `${id}'s crash to be told to all`,
      )
      for (const p of watchers) {
        const told = p.left.filter((l) => l.id === id)
        expect(told.map((l) => l.reason)).toEqual(['disconnected'])
        latencies.push(told[0]!.at - killed)
      }
    }
    // A killed process's socket closes at once: no ping needed, only the grace period and a sweep.
    await sleep(RELAY.recoveryMs)
    for (const p of watchers) {
      expect(p.left.map((l) => l.id)).toEqual(Array.from({ length: rounds }, (_, i) => `crasher${i}`))
      expect(p.errors).toEqual([])
    }
    expect(Math.min(...latencies)).toBeGreaterThanOrEqual(RELAY.recoveryMs)
    const ceiling = RELAY.recoveryMs + RELAY.pingIntervalMs + RELAY.pingTimeoutMs + SWEEP_MS
    expect(Math.max(...latencies)).toBeLessThanOrEqual(ceiling + 1_000)
    const { p50, p95, n } = percentiles(latencies)
    console.log(
      `SIGKILL of a client to participant-left at the others: n=${n} p50=${p50} ms p95=${p95} ms ` +
        `(grace ${RELAY.recoveryMs} ms, ping ${RELAY.pingIntervalMs}+${RELAY.pingTimeoutMs} ms)`,
    )
  })

  it('steady state: packets through the server grow linearly with N (pings), where core heartbeats grow as N²', async () => {
    const windowMs = 4 * RELAY.pingIntervalMs
    /** Packets through the server during `windowMs` of a meeting of `n` that does nothing. */
    async function steady(n: number, presence: 'transport' | 'core'): Promise<number> {
      server = await createConveneServer({ logger: 'silent', relay: RELAY })
      const relay = createSocketIOTransport({ url: server.url })
      // The same transport with presence left to core, as before: every participant heartbeats every other.
      const transport: Transport = presence === 'transport' ? relay : { ...relay, presence: 'core' }
      const group = Array.from({ length: n }, (_, i) =>
        person(`p${i}`, i === 0 ? 'host' : 'participant', transport, noAuth, { heartbeatIntervalMs: 1_000 }),
      )
      people.push(...group)
      await Promise.all(group.map((p) => p.meeting.join()))
      await waitFor(() => allSeeEachOther(group), 20_000, `the ${n} to see each other`)
      await sleep(RELAY.pingIntervalMs)
      const before = server.relayTraffic()
      await sleep(windowMs)
      const after = server.relayTraffic()
      for (const p of group) expect(p.errors).toEqual([])
      for (const p of people.splice(0)) p.meeting.dispose()
      await server.close()
      server = undefined
      return after.packetsIn - before.packetsIn + after.packetsOut - before.packetsOut
    }
    const sizes = [4, 8, 16]
    const byRelay: number[] = []
    const byCore: number[] = []
    for (const n of sizes) {
      byRelay.push(await steady(n, 'transport'))
      byCore.push(await steady(n, 'core'))
    }
    const pings = windowMs / RELAY.pingIntervalMs
    sizes.forEach((n, i) => {
      // A ping and a pong per client per interval (one interval more at most, by where the window falls).
      expect(byRelay[i]).toBeLessThanOrEqual(2 * n * (pings + 1))
      // Each of n heartbeats a second reaches n-1 others.
      expect(byCore[i]).toBeGreaterThanOrEqual(n * (n - 1) * (windowMs / 1_000 - 1))
    })
    console.log(
      `steady-state packets through the server in ${windowMs} ms: ` +
        sizes
          .map((n, i) => `N=${n}: ${byRelay[i]} with relay presence, ${byCore[i]} with core heartbeats`)
          .join('; '),
    )
  }, 120_000)
})
