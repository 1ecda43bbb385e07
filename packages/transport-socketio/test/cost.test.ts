/**
 * What a meeting costs the server, counted in Engine.IO packets through the relay
 * (`ConveneServer.relayTraffic()`): a join of the N-th participant is one welcome and one broadcast
 * (about N packets; with a hello per pair each way it was about 5N), a crowd joining at once and
 * `end()` among N costs about 2N packets, arrivals and departures told in a few batches instead of one
 * packet per change per listener (N²/2). Counts, not times: they hold on a loaded machine. Pings are made rare so they do not count.
 */
import { type TransportEvent, tapTransport } from '@convene/core'
import { type ConveneServer, createConveneServer, generateSigningKey } from '@convene/server'
import { createSocketIOTransport } from '@convene/transport-socketio'
import { afterEach, describe, expect, it } from 'vitest'
import { allSeeEachOther, type Person, person, waitFor } from './support/people.js'

let server: ConveneServer | undefined
const people: Person[] = []

afterEach(async () => {
  for (const p of people.splice(0)) p.meeting.dispose()
  await server?.close()
  server = undefined
})

const heard = new Map<string, TransportEvent[]>()
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const packets = () => {
  const { packetsIn, packetsOut } = server!.relayTraffic()
  return packetsIn + packetsOut
}
/** Packets through the relay while `work` runs and until the relay has been quiet for a while. */
async function counted(work: () => Promise<void>): Promise<number> {
  const before = packets()
  await work()
  let last = -1
  while (packets() !== last) {
    last = packets()
    await sleep(300)
  }
  return last - before
}

/** A meeting of `n` with auth, joined one by one (or all at once); what the last join and the whole join cost. */
async function meetingOf(n: number, atOnce = false) {
  server = await createConveneServer({
    logger: 'silent',
    auth: { signingKey: await generateSigningKey(), authorize: () => true },
    // No pings during the count (a crash is not what is measured here).
    relay: { pingIntervalMs: 600_000, pingTimeoutMs: 600_000 },
  })
  // What each participant's transport hands its meeting, by participant id (read from the end's test).
  heard.clear()
  const transport = tapTransport(createSocketIOTransport({ url: server.url }), {
    event: (event, { participantId }) =>
      heard.set(participantId, [...(heard.get(participantId) ?? []), event]),
  })
  const group = Array.from({ length: n }, (_, i) =>
    person(i === 0 ? 'host' : `p${i}`, i === 0 ? 'host' : 'participant', transport, server!),
  )
  people.push(...group)
  const [last] = group.slice(-1) as [Person]
  let lastJoin = 0
  if (atOnce) {
    const all = await counted(async () => {
      await Promise.all(group.map((p) => p.meeting.join()))
      await waitFor(() => allSeeEachOther(group), 20_000, `all ${n} to see each other`)
    })
    return { group, lastJoin: Number.NaN, all }
  }
  const all = await counted(async () => {
    for (const p of group.slice(0, -1)) await p.meeting.join()
    await waitFor(() => allSeeEachOther(group.slice(0, -1)), 20_000, `the first ${n - 1} to see each other`)
    lastJoin = await counted(async () => {
      await last.meeting.join()
      await waitFor(() => allSeeEachOther(group), 20_000, `all ${n} to see each other`)
    })
  })
  for (const p of group) expect(p.errors).toEqual([])
  return { group, lastJoin, all }
}

describe('what a meeting over the relay costs the server', () => {
  it('the N-th join costs about N packets (a welcome and one broadcast), not a hello per pair', async () => {
    const sizes = [4, 8, 16]
    const cost: Array<{ n: number; lastJoin: number; all: number }> = []
    for (const n of sizes) {
      const { lastJoin, all } = await meetingOf(n)
      cost.push({ n, lastJoin, all })
      for (const p of people.splice(0)) p.meeting.dispose()
      await server?.close()
      server = undefined
    }
    console.log(
      `packets through the relay: ${cost.map((c) => `N=${c.n}: last join ${c.lastJoin}, all joins ${c.all}`).join('; ')}`,
    )
    for (const { n, lastJoin, all } of cost) {
      // Connect (3), the welcome (1) and the newcomer told to the meeting (N, itself included): N + 3.
      // A signed hello per pair each way would add 4 (N - 1).
      expect(lastJoin).toBeLessThanOrEqual(n + 6)
      // Every join alike: N²/2 + a few per participant, where hellos made it about 5N²/2.
      expect(all).toBeLessThanOrEqual((n * (n + 1)) / 2 + 6 * n)
    }
  }, 120_000)

  it('N joining at once: arrivals are told in batches, each window one packet per listener', async () => {
    const n = 16
    const { all } = await meetingOf(n, true)
    console.log(`${n} joining at once: ${all} packets through the relay`)
    // Connect and welcome (4 each) and the arrivals in a few windows of n each (measured 73-99); told
    // one by one, the arrivals alone would be n(n - 1)/2 = 120 more.
    expect(all).toBeLessThanOrEqual(4 * n + 4 * n)
  }, 60_000)

  it('leave() among N: each of the others is handed the LEAVE and nothing more, and told once, as left', async () => {
    const n = 16
    const { group } = await meetingOf(n)
    const leaver = group[n - 1]!
    const rest = group.slice(0, -1)
    for (const list of heard.values()) list.length = 0
    const cost = await counted(async () => {
      await leaver.meeting.leave()
      await waitFor(
        () => rest.every((p) => p.left.some((l) => l.id === leaver.id)),
        10_000,
        'all told of the leave',
      )
    })
    for (const p of rest) {
      expect(p.left.map((l) => `${l.id}:${l.reason}`)).toEqual([`${leaver.id}:left`])
      // The relay's word of the departure, behind the LEAVE, changes nothing: no step for core (each
      // a look-up among all sessions, at every receiver).
      const events = heard.get(p.id) ?? []
      expect(events.map((e) => (e.type === 'message' ? (e.data as { type: string }).type : e.type))).toEqual([
        'leave',
      ])
    }
    for (const p of group) expect(p.errors).toEqual([])
    console.log(`leave() among ${n}: ${cost} packets through the relay`)
  }, 60_000)

  it('end() among N: one END to each, no confirmations, and nobody is told of the others going (no storm)', async () => {
    const n = 16
    const { group } = await meetingOf(n)
    const [host, ...rest] = group as [Person, ...Person[]]
    for (const list of heard.values()) list.length = 0
    const cost = await counted(async () => {
      await host.meeting.end()
      await waitFor(() => rest.every((p) => p.ended.length === 1), 10_000, 'all told the meeting ended')
    })
    for (const p of rest) expect(p.ended.map((e) => e.reason)).toEqual(['ended'])
    for (const p of group) expect(p.errors).toEqual([])
    // Each receiver's transport handed it the END and nothing else: no departure of the others (each
    // one a statechart step, N - 2 of them per receiver still there when it went), no resent END. Its
    // own session's close (the relay closing the meeting behind the END) comes after, as an error the
    // meeting, already out, does not tell.
    for (const p of rest) {
      const events = (heard.get(p.id) ?? []).filter((e) => e.type !== 'error')
      expect(events.map((e) => (e.type === 'message' ? (e.data as { type: string }).type : e.type))).toEqual([
        'end',
      ])
    }
    console.log(`end() among ${n}: ${cost} packets through the relay`)
    // The END in and out to N - 1 (N), the host's flush (2), the relay closing each other session
    // (N - 1 disconnects), the host's own: about 2N. With an ACK per receiver (2(N - 1) more) and each
    // departure told to those still there, it was 94 for 16 (each receiver closing its own session).
    expect(cost).toBeLessThanOrEqual(2 * n + 8)
  }, 60_000)
})
