/**
 * The credential on a frozen clock: every proof it makes has a time of its own, so the PeerServer,
 * which takes each proof once, accepts two connects made within the same millisecond.
 */
import './support/webrtc.js'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import WebSocket from 'ws'
import { SignallingCredential } from '../src/SignallingCredential.js'
import { type AuthWorld, ownKey, startAuthWorld } from './support/authWorld.js'

let world: AuthWorld
const sockets: WebSocket[] = []

beforeEach(async () => {
  world = await startAuthWorld()
})

afterEach(async () => {
  vi.useRealTimers()
  for (const socket of sockets.splice(0)) socket.terminate()
  await world.close()
})

/** Opens a signalling socket with `token`: PeerServer's first message, `'upgraded'`, or `HTTP <status>`. */
function connect(peerId: string, token: string): Promise<string> {
  const query = new URLSearchParams({ key: 'peerjs', id: peerId, token })
  const socket = new WebSocket(`${world.server.url.replace('http', 'ws')}/peerjs/peerjs?${query}`)
  sockets.push(socket)
  return new Promise((resolve, reject) => {
    socket.once('unexpected-response', (_req, res) => resolve(`HTTP ${res.statusCode}`))
    socket.once('open', () => resolve('upgraded'))
    socket.once('error', reject)
  })
}

describe('SignallingCredential', () => {
  it('gives every proof its own, strictly increasing time, even when the clock stands still', async () => {
    const key = await ownKey()
    const token = await world.postToken({
      meetingId: 'standup',
      participantId: 'ada',
      role: 'participant',
      publicKey: key.publicKey,
    })
    const peerId = 'cv-7374616e647570-616461-7331'
    const credential = new SignallingCredential(peerId, { sign: key.sign, token })
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now())
    const frozen = Date.now()
    const first = await credential.initial()
    const listing = await credential.directoryHeaders('standup')
    const second = await credential.renewed()
    const times = [first.split('~')[2], listing['Convene-Proof']!.split('~')[1], second.split('~')[2]]
    expect(times.map(Number)).toEqual([frozen, frozen + 1, frozen + 2])
    expect(listing.Authorization).toBe(`Bearer ${token}`)
    // Both connects are accepted: the second is the same client (same secret) with a new proof.
    expect(await connect(peerId, first)).toBe('upgraded')
    expect(await connect(peerId, second)).toBe('upgraded')
    // And the first, presented again, is refused.
    expect(await connect(peerId, first)).toBe('HTTP 401')
    const directory = await fetch(`${world.server.url}/convene/rooms/standup`, { headers: listing })
    expect(await directory.json()).toEqual({ peers: [peerId] })
    const again = await fetch(`${world.server.url}/convene/rooms/standup`, { headers: listing })
    expect([again.status, ((await again.json()) as { code: string }).code]).toEqual([401, 'INVALID_PROOF'])
  })
})
