/**
 * The host's END also goes through the signalling server: in a 5-camera Chromium meeting on a loaded
 * machine, a data link between two live tabs carried nothing for 10-27 s while both stayed connected
 * to the PeerServer, and an END sent only on the links reached 2-5 of 5 tabs (the host resends it for
 * `leaveTimeoutMs`, then stops). Here the host's link to one participant carries nothing either way
 * (it stays up), over real WebRTC, a real `@convene/server` and auth, as the playground runs.
 */
import './support/webrtc.js'
import { parsePeerId } from '@convene/core/wire'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type AuthWorld, startAuthWorld, type Tracked } from './support/authWorld.js'
import { cuttingLinks } from './support/cutLink.js'
import { sleep, waitFor } from './support/sessions.js'

const { createPeerJSTransport } = await import('@convene/transport-peerjs')

let world: AuthWorld

beforeEach(async () => {
  world = await startAuthWorld()
})

afterEach(async () => {
  await world.close()
})

interface Watched extends Tracked {
  id: string
  /** Everything the app was told that ends someone's presence, in order. */
  told: string[]
}

function watch(id: string, tracked: Tracked): Watched {
  const told: string[] = []
  tracked.meeting.on('meeting-left', ({ reason }) => told.push(`meeting-left:${reason}`))
  tracked.meeting.on('participant-left', (p, { reason }) => told.push(`participant-left:${p.id}:${reason}`))
  return { ...tracked, id, told }
}

describe("the host's END", () => {
  it('reaches a participant whose data link to the host carries nothing, through the signalling server', async () => {
    let cut = false
    const victim = 'erin'
    const hostTransport = cuttingLinks(
      createPeerJSTransport({ port: world.server.port, reconnect: 200 }),
      (linkId) => cut && parsePeerId(linkId)?.participantId === victim,
    )
    // The goodbye's default bound: the host resends its END on the links for 10 s, as in the browser.
    const leaveTimeoutMs = 10_000
    const people = [
      watch('alice', world.person('alice', 'host', { transport: hostTransport, leaveTimeoutMs })),
      ...['bob', 'carol', 'dave', victim].map((id) =>
        watch(id, world.person(id, 'participant', { leaveTimeoutMs })),
      ),
    ]
    for (const p of people) await p.meeting.join()
    await waitFor(
      () => people.every((p) => p.meeting.participants.size === people.length - 1),
      30_000,
      'a room of five',
    )
    cut = true
    await people[0]!.meeting.end()
    await waitFor(() => people.every((p) => p.told.includes('meeting-left:ended')), 20_000).catch(() => {
      throw new Error(`not everyone told: ${people.map((p) => `${p.id} [${p.told}]`).join('; ')}`)
    })
    // Whatever would come late has had time to (a departure is told after 2.5 s of silence here).
    await sleep(3000)
    for (const p of people) {
      expect(p.told, p.id).toEqual(['meeting-left:ended'])
      expect(
        p.errors.map((e) => `${e.code}: ${e.message}`),
        p.id,
      ).toEqual([])
    }
  })
})
