/**
 * Tokens bound to session keys, end to end: an app's token function asks the real `POST /token` with
 * the session's public key, the PeerServer lets each session register only with a signed proof, and
 * every peer verifies every hello over real WebRTC.
 */
import './support/webrtc.js'
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type AuthWorld, roster, startAuthWorld } from './support/authWorld.js'
import { waitFor } from './support/sessions.js'

let world: AuthWorld
const measured: Record<string, number[]> = {}
const measure = (name: string, ms: number) => {
  measured[name] = [...(measured[name] ?? []), ms]
}

beforeEach(async () => {
  world = await startAuthWorld()
})

afterEach(async () => {
  await world.close()
  vi.restoreAllMocks()
})

afterAll(() => {
  const rows = Object.entries(measured).map(([name, values]) => {
    const sorted = [...values].sort((a, b) => a - b)
    return `${name.padEnd(40)} n=${values.length} min=${sorted[0]} median=${sorted[Math.floor(sorted.length / 2)]} max=${sorted.at(-1)} ms`
  })
  console.log(`\nBound tokens over real WebRTC:\n${rows.join('\n')}\n`)
})

describe('tokens bound to session keys over real WebRTC and a real server', () => {
  it('three people with token functions join, see roles from their tokens, leave and end as before', async () => {
    const alice = world.person('alice', 'host')
    const bob = world.person('bob', 'participant')
    const carol = world.person('carol', 'participant')
    for (const p of [alice, bob, carol]) {
      const started = Date.now()
      await p.meeting.join()
      measure('join (join() resolved), bound token', Date.now() - started)
    }
    const all = [alice, bob, carol]
    await waitFor(() => all.every((p) => p.meeting.participants.size === 2), 30_000, 'a room of three')
    expect(roster(alice.meeting)).toEqual(['bob', 'carol'])
    expect(bob.meeting.participants.get('alice')?.role).toBe('host')
    expect(carol.meeting.participants.get('alice')?.role).toBe('host')
    expect(alice.meeting.participants.get('carol')?.role).toBe('participant')

    // Each join asked the token function once, with this session's public key, and the token it
    // got is bound to that key.
    for (const p of all) {
      expect(p.requests).toHaveLength(1)
      const [request] = p.requests
      expect(request).toMatchObject({ meetingId: 'standup', participantId: p.meeting.localParticipant.id })
      expect(request!.publicKey).toMatchObject({ kty: 'EC', crv: 'P-256' })
    }
    const transportSees = new Set(all.map((p) => JSON.stringify(p.requests[0]!.publicKey)))
    expect(transportSees.size).toBe(3)

    const left = Date.now()
    await carol.meeting.leave()
    for (const p of [alice, bob]) {
      await waitFor(() => !p.meeting.participants.has('carol'), 10_000, 'carol gone')
    }
    measure('leave (leave() to gone from others)', Date.now() - left)
    const bobLeft: string[] = []
    bob.meeting.on('meeting-left', ({ reason }) => bobLeft.push(reason))
    await expect(bob.meeting.end()).rejects.toMatchObject({ code: 'END_NOT_ALLOWED' })
    const ended = Date.now()
    const ending = alice.meeting.end()
    await waitFor(() => bobLeft.length === 1, 10_000, 'bob told the meeting ended')
    measure('end (end() to meeting-left at bob)', Date.now() - ended)
    await ending
    expect(bobLeft).toEqual(['ended'])
    expect([...alice.errors, ...bob.errors, ...carol.errors]).toEqual([])
  })

  it('after a PeerServer restart each session signs in again, with a token fetched anew near expiry', async () => {
    await world.close()
    // 8 s tokens are due for refresh (core: half their life, at most a minute, before expiry) while
    // the server is down, so the reconnect must present a token fetched anew.
    world = await startAuthWorld({ expiresIn: 8 })
    const alice = world.person('alice', 'host')
    const bob = world.person('bob', 'participant')
    await alice.meeting.join()
    await bob.meeting.join()
    await waitFor(() => alice.meeting.participants.has('bob'), 30_000, 'bob admitted')
    const { port } = world.server

    await world.restartServer(5000)
    expect(world.server.port).toBe(port)
    // A newcomer is found only through the directory, which lists a peer only while its signalling
    // connection is open: both old sessions must have been let back in with fresh proofs.
    const carol = world.person('carol', 'participant')
    const started = Date.now()
    await carol.meeting.join()
    await waitFor(() => carol.meeting.participants.size === 2, 30_000, 'carol meets both')
    measure('join after a PeerServer restart', Date.now() - started)
    for (const p of [alice, bob]) {
      // The join's request, then at least one more from the reconnect (the token was near expiry).
      expect(p.requests.length).toBeGreaterThanOrEqual(2)
      // Asked again for the same session's key: the reconnect signs with the key it joined with.
      expect(new Set(p.requests.map((r) => JSON.stringify(r.publicKey))).size).toBe(1)
      expect(p.meeting.meetingState).toBe('CONNECTED')
    }
    // Carol may hear both hellos before alice has checked hers (its token and proof): each side
    // admits the other on its own time.
    await waitFor(() => alice.meeting.participants.has('carol'), 20_000, 'alice admits carol')
    expect(roster(alice.meeting)).toEqual(['bob', 'carol'])
    expect([...alice.errors, ...bob.errors, ...carol.errors]).toEqual([])
  })
})
