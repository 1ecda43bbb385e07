/**
 * A connection that stays open and carries nothing, over real WebRTC (node-datachannel, one process)
 * and a real PeerServer (`@convene/server`, which lists who holds an open signalling connection).
 * Seen with Chromium tabs under load: 10-27 s in which nothing a live tab sent on a connection
 * arrived, while both tabs stayed connected to the PeerServer; an End sent then did not arrive, and
 * core (allowing a listed peer 10 s then) declared live peers gone. The pair must be dialled afresh
 * while the server lists the peer, and must not be while it does not. Without it, nothing arrives on
 * the pair for the whole mute.
 */
import './support/webrtc.js'
import { randomUUID } from 'node:crypto'
import type { Meeting, TransportEvent } from '@convene/core'
import { createPeerId } from '@convene/core/wire'
import type { ConveneServer } from '@convene/server'
import { afterEach, describe, expect, it } from 'vitest'
import { connectionsBetween, mute, peerOf, recordConnections, unmute } from './support/muting.js'
import { sleep, waitFor } from './support/sessions.js'

const { createMeeting } = await import('@convene/core')
const { createConveneServer } = await import('@convene/server')
const { createPeerJSTransport } = await import('@convene/transport-peerjs')

await recordConnections()

/** As long as the silences seen in Chromium (10-27 s). */
const MUTED_MS = 15_000

let server: ConveneServer | undefined
const meetings: Meeting[] = []
const closers: (() => void)[] = []

afterEach(async () => {
  for (const meeting of meetings.splice(0)) meeting.dispose()
  for (const close of closers.splice(0)) close()
  await server?.close()
  server = undefined
})

/** The peer id `meeting`'s session registered under with the PeerServer. */
function peerIdOf(meeting: Meeting, meetingId: string): string {
  const { id, sessionId } = meeting.localParticipant
  return createPeerId(meetingId, id, sessionId)
}

describe('a pair whose connection goes silent while both stay connected to the PeerServer', () => {
  it('is linked again by a fresh connection; core declares nobody gone and reports no error', async () => {
    server = await createConveneServer({ port: 0, logger: 'silent' })
    const transport = createPeerJSTransport({ host: '127.0.0.1', port: server.port })
    const ids = ['ada', 'bob', 'cy', 'di']
    const happened: string[] = []
    for (const id of ids) {
      const meeting = createMeeting({
        meetingId: 'silent',
        participant: { id, role: id === 'ada' ? 'host' : 'participant' },
        transport,
      })
      meeting.on('participant-left', (p, { reason }) => happened.push(`${id}: ${p.id} left (${reason})`))
      meeting.on('error', (error) => happened.push(`${id}: error ${error.code} ${error.message}`))
      meetings.push(meeting)
    }
    await Promise.all(meetings.map((m) => m.join()))
    await waitFor(() => meetings.every((m) => m.participants.size === 3), 30_000, 'everyone in')
    const [ada, bob] = meetings as [Meeting, Meeting]
    const adaId = peerIdOf(ada, 'silent')
    const bobId = peerIdOf(bob, 'silent')

    const before = connectionsBetween(adaId, bobId).filter((e) => e.conn.open)
    expect(before.length).toBeGreaterThanOrEqual(2)
    mute(before)
    const mutedAt = Date.now()
    // Both ends dial afresh: a new connection carries messages again, at both ends.
    const fresh = () => connectionsBetween(adaId, bobId).filter((e) => !before.includes(e))
    const carrying = () =>
      [adaId, bobId].every((local) => fresh().some((e) => e.local === local && e.arrived > 0))
    let relinkedAt: number | undefined
    while (Date.now() < mutedAt + MUTED_MS) {
      if (relinkedAt === undefined && carrying()) relinkedAt = Date.now()
      await sleep(50)
    }
    unmute(before)
    await sleep(2000)

    expect(happened).toEqual([])
    for (const meeting of meetings) expect(meeting.participants.size).toBe(3)
    expect(relinkedAt, 'messages on a fresh connection at both ends').toBeDefined()
    console.log(`relinked ${relinkedAt! - mutedAt} ms after the mute`)
    // The silent connection is gone at both ends (dropped as stale once the fresh one was heard).
    expect(before.filter((e) => e.conn.open)).toEqual([])
  })

  it('is not dialled afresh when the server no longer lists the peer (its signalling socket closed)', async () => {
    server = await createConveneServer({ port: 0, logger: 'silent' })
    const port = server.port
    const events = new Map<string, TransportEvent[]>()
    const ids = ['ada', 'bob'].map((participantId) => {
      const sessionId = randomUUID()
      // No reconnection within the test: bob's socket stays closed once closed.
      const session = createPeerJSTransport({ port, reconnect: 60_000 }).session({
        meetingId: 'unlisted',
        participantId,
        sessionId,
      })
      const id = createPeerId('unlisted', participantId, sessionId)
      const seen: TransportEvent[] = []
      events.set(id, seen)
      const subscription = session.events.subscribe({ next: (e) => seen.push(e) })
      closers.push(() => subscription.unsubscribe())
      return id
    }) as [string, string]
    const [adaId, bobId] = ids
    const upAt = (id: string) => events.get(id)!.some((e) => e.type === 'link-up')
    await waitFor(() => upAt(adaId) && upAt(bobId), 30_000, 'linked')
    const listed = (id: string, other: string) => {
      const lists = events.get(id)!.flatMap((e) => (e.type === 'signalling-presence' ? [e.connected] : []))
      return lists.at(-1)?.includes(other) === true
    }
    await waitFor(() => listed(adaId, bobId), 10_000, 'bob listed at ada')

    // Bob's PeerServer socket closes (his data links stay): the server stops listing him.
    peerOf(bobId).disconnect()
    await waitFor(() => !listed(adaId, bobId), 10_000, 'bob no longer listed at ada')
    const before = connectionsBetween(adaId, bobId)
    mute(before.filter((e) => e.conn.open))
    await sleep(MUTED_MS)
    // Nobody dialled: neither ada (bob not listed) nor bob (his own signalling down, and no list).
    expect(connectionsBetween(adaId, bobId)).toHaveLength(before.length)
    for (const seen of events.values()) expect(seen.filter((e) => e.type === 'error')).toEqual([])
  })
})
