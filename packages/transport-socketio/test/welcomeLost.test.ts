/**
 * A welcome goes to its socket only (not through the cluster adapter), so Socket.IO's connection-state
 * recovery cannot replay it: a client whose connection drops after the relay sent it, and is then
 * recovered, asks for it again. Here a real relay's welcome is lost in a real TCP cut, after the client
 * read a packet with a recovery offset, so its reconnect is recovered.
 */
import { type ConveneServer, createConveneServer } from '@convene/server'
import { createSocketIOTransport } from '@convene/transport-socketio'
import { pino } from 'pino'
import { afterEach, describe, expect, it } from 'vitest'
import { allSeeEachOther, type Person, person, waitFor } from './support/people.js'
import { type WelcomeTrap, welcomeTrap } from './support/welcomeTrap.js'

let server: ConveneServer | undefined
let trap: WelcomeTrap | undefined
const people: Person[] = []
const noAuth = { tokenUrl: null, jwksUrl: null }

afterEach(async () => {
  for (const p of people.splice(0)) p.meeting.dispose()
  await trap?.close()
  await server?.close()
  server = trap = undefined
})

/** The relay's log events, as written. */
function memoryLog() {
  const events: string[] = []
  const logger = pino({ level: 'info' }, { write: (line: string) => events.push(JSON.parse(line).event) })
  return { logger, events }
}

describe('a welcome lost in a drop that Socket.IO recovers', () => {
  it('is asked for again: the join completes, and both see each other', async () => {
    const log = memoryLog()
    server = await createConveneServer({ logger: log.logger })
    const alice = person('alice', 'host', createSocketIOTransport({ url: server.url }), noAuth)
    people.push(alice)
    await alice.meeting.join()
    trap = await welcomeTrap({ host: '127.0.0.1', port: Number(new URL(server.url).port) })
    const bob = person('bob', 'participant', createSocketIOTransport({ url: trap.url }), noAuth, {
      joinTimeoutMs: 8_000,
    })
    people.push(bob)
    await bob.meeting.join()
    await waitFor(() => allSeeEachOther([alice, bob]), 5_000, 'alice and bob to see each other')
    // The welcome was lost, the connection cut, and the reconnect recovered (no second fresh welcome).
    expect(trap.swallowed).toBe(1)
    expect(trap.connections).toBe(2)
    expect(log.events.filter((e) => e === 'relay.recovered')).toHaveLength(1)
    expect(log.events.filter((e) => e === 'relay.joined')).toHaveLength(2)
    expect(alice.left).toEqual([])
    for (const p of [alice, bob]) expect(p.errors).toEqual([])
  })
})
