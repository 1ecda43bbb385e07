/**
 * One meeting across two `convene-server` nodes (child processes) sharing a real Redis: participants
 * on either node see each other, and when a node is killed with SIGKILL mid-meeting its participants
 * fail over to the other node without anyone being told they left, while a real departure during the
 * outage (a leave, and a client process killed with the node) is still told exactly once. A session
 * that comes back costs the others nothing: no link-up or link-down reaches their meetings (a herd of
 * N/2 returning as link-ups was N²/2 statechart steps).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type MeetingState, type TransportEvent, tapTransport } from '@convene/core'
import { generateSigningKey } from '@convene/server'
import { createSocketIOTransport } from '@convene/transport-socketio'
import { exportPKCS8 } from 'jose'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { type ClientNode, startClient } from './support/clientNode.js'
import { allSeeEachOther, type Person, percentiles, person, waitFor } from './support/people.js'
import { type RedisServer, startRedis } from './support/redisServer.js'
import { type ServerNode, startNode } from './support/serverNode.js'

let redis: RedisServer
let keyDir: string
let nodeArgs: string[]
const nodes: ServerNode[] = []
const people: Person[] = []
const clients: ClientNode[] = []
/** A dead node is found within 3 s; its sessions are then held 5 s (`--failover-grace`, 15 s by default). */
const NODE_TTL_MS = 3_000
const GRACE_MS = 5_000

beforeAll(async () => {
  redis = await startRedis(inject('redisServer'))
  keyDir = await mkdtemp(join(tmpdir(), 'convene-cluster-'))
  const keyPath = join(keyDir, 'signing-key.pem')
  // Both nodes sign and check tokens with one key, as a cluster behind one load balancer must.
  const key = await generateSigningKey({ extractable: true })
  await writeFile(keyPath, await exportPKCS8(key.privateKey))
  nodeArgs = ['--redis', redis.url, '--signing-key', keyPath, '--allow-all']
  nodeArgs.push('--failover-grace', String(GRACE_MS))
})

afterAll(async () => {
  for (const p of people.splice(0)) p.meeting.dispose()
  await Promise.all(clients.splice(0).map((c) => c.kill()))
  await Promise.all(nodes.splice(0).map((node) => node.stop()))
  await redis?.stop()
  if (keyDir) await rm(keyDir, { recursive: true, force: true })
})

async function node(port = 0): Promise<ServerNode> {
  const started = await startNode(nodeArgs, port)
  nodes.push(started)
  return started
}

/** When each person's meeting was last seen back in `CONNECTED` after `RECONNECTING`. */
function watchStates(group: readonly Person[]): Map<string, { state: MeetingState; at: number }[]> {
  const seen = new Map<string, { state: MeetingState; at: number }[]>()
  for (const p of group) {
    const list: { state: MeetingState; at: number }[] = []
    seen.set(p.id, list)
    p.meeting.on('meeting-state-changed', ({ state }) => list.push({ state, at: Date.now() }))
  }
  return seen
}

describe('a meeting across two nodes and Redis', () => {
  it('survives SIGKILL of either node: its participants fail over, nobody is told they left', async () => {
    const [a, b] = [await node(), await node()]
    const server = { tokenUrl: `${a.url}/token`, jwksUrl: `${a.url}/.well-known/jwks.json` }
    /** Links going up or down, as each meeting is told them: what a return costs the others' statecharts. */
    const links: TransportEvent['type'][] = []
    const counted = (url: string[]) =>
      tapTransport(createSocketIOTransport({ url }), {
        event: ({ type }) => {
          if (type === 'link-up' || type === 'link-down') links.push(type)
        },
      })
    const onA = counted([a.url, b.url])
    const onB = counted([b.url, a.url])
    const group = [
      person('host', 'host', onA, server),
      person('p1', 'participant', onA, server),
      person('p2', 'participant', onA, server),
      person('p3', 'participant', onB, server),
      person('p4', 'participant', onB, server),
    ]
    people.push(...group)
    for (const p of group) await p.meeting.join()
    // A participant in a process of its own, on node A, that really crashes when A dies.
    const crasher = await startClient('crasher', [a.url, b.url], server)
    clients.push(crasher)
    await waitFor(
      () =>
        group.every(
          (p) => p.meeting.participants.size === group.length && p.meeting.participants.has('crasher'),
        ),
      10_000,
      'everyone to see everyone across nodes',
    )
    const states = watchStates(group)
    const failovers: number[] = []

    // Round 1: node A dies, and with it the crasher's process; host, p1 and p2 move to B. Meanwhile
    // p4 really leaves.
    const killedA = Date.now()
    await Promise.all([a.kill(), crasher.kill()])
    const leaver = group[4]!
    const leaveStarted = Date.now()
    await leaver.meeting.leave()
    const leaveTook = Date.now() - leaveStarted
    const stayed = group.slice(0, 4)
    await waitFor(
      () => stayed.slice(0, 3).every((p) => states.get(p.id)!.some((s) => s.state === 'CONNECTED')),
      10_000,
      'the participants of node A to be back',
    )
    for (const p of stayed.slice(0, 3)) {
      failovers.push(states.get(p.id)!.find((s) => s.state === 'CONNECTED')!.at - killedA)
    }
    await waitFor(
      () => stayed.every((p) => p.left.length === 2),
      NODE_TTL_MS + GRACE_MS + 10_000,
      'both departures to be told to all',
    )
    await waitFor(() => allSeeEachOther(stayed), 10_000, 'the four to see each other again')
    // The crasher once, as a crash, by whichever node claimed A; the leaver once, as left.
    const crashTold: number[] = []
    for (const p of stayed) {
      expect(p.left.map((l) => `${l.id}:${l.reason}`).sort()).toEqual([
        'crasher:disconnected',
        `${leaver.id}:left`,
      ])
      crashTold.push(p.left.find((l) => l.id === 'crasher')!.at - killedA)
    }

    // Round 2: A comes back on its port, then B dies; all four move to A.
    const a2 = await node(a.port)
    for (const list of states.values()) list.length = 0
    links.length = 0
    const killedB = Date.now()
    await b.kill()
    await waitFor(
      () => stayed.every((p) => states.get(p.id)!.some((s) => s.state === 'CONNECTED')),
      10_000,
      'everyone to be back on node A',
    )
    for (const p of stayed)
      failovers.push(states.get(p.id)!.find((s) => s.state === 'CONNECTED')!.at - killedB)
    await waitFor(() => allSeeEachOther(stayed), 10_000, 'the four to see each other on node A')
    // Past the time a dead node is found and its grace period: a late `participant-left` for someone
    // who came back would show now.
    await new Promise((resolve) => setTimeout(resolve, NODE_TTL_MS + GRACE_MS + 1_000))
    for (const p of stayed) expect(p.left.map((l) => l.id).sort()).toEqual(['crasher', leaver.id].sort())
    // Nobody left in round 2: each returner is the same session on a new socket, away meanwhile.
    expect(links).toEqual([])

    await group[0]!.meeting.end()
    await waitFor(() => stayed.slice(1).every((p) => p.ended.length === 1), 5_000, 'the end to reach all')
    for (const p of stayed.slice(1)) expect(p.ended[0]!.reason).toBe('ended')
    for (const p of group) expect(p.errors.map((e) => `${p.id}: ${e.code} ${e.message}`)).toEqual([])
    const { p50, p95, n } = percentiles(failovers)
    const crash = percentiles(crashTold)
    console.log(
      `failover after SIGKILL (kill to CONNECTED again): n=${n} p50=${p50} ms p95=${p95} ms; ` +
        `leave() during the outage resolved in ${leaveTook} ms; a client crashed with its node told to the ` +
        `others after p50=${crash.p50} ms p95=${crash.p95} ms (n=${crash.n})`,
    )
    expect(a2.url).toBe(a.url)
  })
})
