/**
 * A session away while its host ends the meeting, that comes back on a fresh connection (too late for
 * Socket.IO's recovery, which would have replayed the END), still ends with `meeting-left(ended)`,
 * once, and is told of nobody leaving: the relay keeps the END for a minute and its welcome carries
 * it. On one node, and across two nodes (child processes) sharing a real Redis, where the node that
 * closed the meeting is not the one the session comes back to.
 */
import { type ConveneServer, createConveneServer } from '@convene/server'
import { createSocketIOTransport } from '@convene/transport-socketio'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { type CuttableLink, cuttableLink } from './support/cuttableLink.js'
import { allSeeEachOther, type Person, person, waitFor } from './support/people.js'
import { type RedisServer, startRedis } from './support/redisServer.js'
import { type ServerNode, startNode } from './support/serverNode.js'

/** The relay's grace period: how long a dropped session may be recovered. */
const GRACE_MS = 1_000
const noAuth = { tokenUrl: null, jwksUrl: null }
const people: Person[] = []
const links: CuttableLink[] = []
const nodes: ServerNode[] = []
let server: ConveneServer | undefined
let redis: RedisServer | undefined

afterEach(async () => {
  for (const p of people.splice(0)) p.meeting.dispose()
  await Promise.all(links.splice(0).map((link) => link.close()))
  await Promise.all(nodes.splice(0).map((node) => node.stop()))
  await server?.close()
  await redis?.stop()
  server = redis = undefined
})

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const portOf = (url: string) => Number(new URL(url).port)

/**
 * Alice (host) and Carol on `hostUrl`, Bob through a link he loses to `bobUrl`: Bob is cut off past
 * the grace period, Alice ends the meeting, Bob's link comes back.
 */
async function endWhileBobIsAway(hostUrl: string, bobUrl: string): Promise<Person[]> {
  const link = await cuttableLink({ host: '127.0.0.1', port: portOf(bobUrl) })
  links.push(link)
  const alice = person('alice', 'host', createSocketIOTransport({ url: hostUrl }), noAuth)
  const carol = person('carol', 'participant', createSocketIOTransport({ url: hostUrl }), noAuth)
  const bob = person('bob', 'participant', createSocketIOTransport({ url: link.url }), noAuth, {
    reconnectTimeoutMs: 30_000,
  })
  const group = [alice, bob, carol]
  people.push(...group)
  for (const p of group) await p.meeting.join()
  await waitFor(() => allSeeEachOther(group), 10_000, 'the three to see each other')
  await link.cut()
  await waitFor(() => bob.meeting.meetingState === 'RECONNECTING', 5_000, 'bob to be reconnecting')
  // Past the grace period: Bob's session cannot be recovered, and the others are told he is gone.
  await waitFor(
    () => [alice, carol].every((p) => p.left.some((l) => l.id === 'bob')),
    GRACE_MS + 5_000,
    'bob to be told gone',
  )
  await alice.meeting.end()
  await waitFor(() => carol.ended.length === 1, 5_000, 'carol to be told the end')
  await sleep(200)
  expect(bob.ended).toEqual([])
  await link.restore()
  await waitFor(() => bob.ended.length > 0, 10_000, 'bob to be told the end')
  // Anything more would show now.
  await sleep(1_000)
  return group
}

function expectEndedOnce([alice, bob, carol]: Person[]): void {
  expect(bob!.ended.map((e) => e.reason)).toEqual(['ended'])
  expect(carol!.ended.map((e) => e.reason)).toEqual(['ended'])
  expect(alice!.ended.map((e) => e.reason)).toEqual(['ended'])
  // Nobody left before the END, as Bob saw it: he heard of no departure.
  expect(bob!.left).toEqual([])
  expect(bob!.meeting.meetingState).not.toBe('CONNECTED')
  expect(carol!.left.map((l) => `${l.id}:${l.reason}`)).toEqual(['bob:disconnected'])
  for (const p of [alice!, bob!, carol!]) expect(p.errors).toEqual([])
}

describe('a session back on a fresh connection after its meeting was ended', () => {
  it('on one node: is told meeting-left(ended) once, and nobody leaving', async () => {
    server = await createConveneServer({ logger: 'silent', relay: { recoveryMs: GRACE_MS } })
    expectEndedOnce(await endWhileBobIsAway(server.url, server.url))
  })

  it('across two nodes and Redis: the END, kept by the node that closed the meeting, reaches Bob on the other', async () => {
    redis = await startRedis(inject('redisServer'))
    const args = ['--redis', redis.url, '--grace', String(GRACE_MS)]
    const [a, b] = [await startNode(args), await startNode(args)]
    nodes.push(a, b)
    expectEndedOnce(await endWhileBobIsAway(a.url, b.url))
  })
})
