/**
 * Meetings of five over the Socket.IO relay of one real `@convene/server` with auth (bound tokens,
 * proofs of possession), as users see them: who is in the room, who is told what when someone leaves,
 * crashes or the host ends the meeting, and how long the leaver waits.
 */
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

async function room(size: number): Promise<Person[]> {
  server = await createConveneServer({
    auth: { signingKey: await generateSigningKey(), authorize: () => true },
  })
  const transport = createSocketIOTransport({ url: server.url })
  const group = Array.from({ length: size }, (_, i) =>
    person(i === 0 ? 'host' : `p${i}`, i === 0 ? 'host' : 'participant', transport, server!),
  )
  people.push(...group)
  await Promise.all(group.map((p) => p.meeting.join()))
  await waitFor(() => allSeeEachOther(group), 10_000, 'everyone to see everyone')
  return group
}

describe('meetings over the Socket.IO relay', () => {
  it('five join at once and all see each other; one leaves, told once as left; the host ends for all', async () => {
    const group = await room(5)
    const [host, leaver, ...rest] = group as [Person, Person, ...Person[]]
    const started = Date.now()
    await leaver.meeting.leave()
    const leaveTook = Date.now() - started
    expect(leaver.ended).toEqual([{ reason: 'left', at: expect.any(Number) }])
    expect(leaver.meeting.participants.size).toBe(0)
    await waitFor(() => [host, ...rest].every((p) => p.left.length === 1), 5_000, 'all told the leaver left')
    for (const p of [host, ...rest])
      expect(p.left).toEqual([{ id: leaver.id, reason: 'left', at: expect.any(Number) }])
    const toldIn = Math.max(...[host, ...rest].map((p) => p.left[0]!.at)) - started
    console.log(`leave(): resolved in ${leaveTook} ms, all told in ${toldIn} ms`)
    expect(leaveTook).toBeLessThan(2_000)

    await host.meeting.end()
    await waitFor(() => rest.every((p) => p.ended.length === 1), 5_000, 'all told the meeting ended')
    for (const p of rest) expect(p.ended[0]!.reason).toBe('ended')
    for (const p of group) expect(p.errors).toEqual([])
  })

  it('a participant who cannot end is refused and nothing changes; a disposed one is told as left, once', async () => {
    const group = await room(4)
    const [host, a, b, disposer] = group as [Person, Person, Person, Person]
    await expect(a.meeting.end()).rejects.toMatchObject({ code: 'END_NOT_ALLOWED' })
    expect(allSeeEachOther(group)).toBe(true)
    // dispose() sends its goodbye once and closes the socket at once: the relay reads the goodbye first.
    disposer.meeting.dispose()
    expect(disposer.ended).toEqual([{ reason: 'left', at: expect.any(Number) }])
    await waitFor(() => [host, a, b].every((p) => p.left.length === 1), 8_000, 'the departure to be told')
    for (const p of [host, a, b])
      expect(p.left).toEqual([{ id: disposer.id, reason: 'left', at: expect.any(Number) }])
    for (const p of group) expect(p.errors).toEqual([])
  })
})
