import { createPeerId, parsePeerId } from '@convene/core/wire'
import WebSocket from 'ws'

let counter = 0

/** A Convene-shaped peer id, as `@convene/transport-peerjs` builds them. */
export function peerIdIn(meetingId: string, label = 'p'): string {
  counter += 1
  return createPeerId(meetingId, label, String(counter))
}

/** The text of the END core sends for the session at `address`, its own (or in the name of `origin`). */
export function endOf(address: string, origin?: string): string {
  const session = parsePeerId(address)!.sessionId
  return JSON.stringify({ v: 1, session, seq: 7, type: 'end', origin: origin ?? session })
}

/** Opens a signalling connection exactly as PeerJS does, and resolves once PeerServer says OPEN. */
export function connectPeer(
  baseUrl: string,
  id: string,
  path = '/peerjs',
  key = 'peerjs',
): Promise<WebSocket> {
  const url = `${baseUrl.replace('http', 'ws')}${path}/peerjs?key=${key}&id=${encodeURIComponent(id)}&token=t${id.length}`
  const socket = new WebSocket(url)
  return new Promise((resolve, reject) => {
    socket.once('error', reject)
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string }
      if (message.type === 'OPEN') resolve(socket)
      else reject(new Error(`PeerServer answered ${message.type}`))
    })
  })
}

export async function listRoom(baseUrl: string, meetingId: string, init?: RequestInit): Promise<string[]> {
  const response = await fetch(`${baseUrl}/convene/rooms/${encodeURIComponent(meetingId)}`, init)
  if (!response.ok) throw new Error(`HTTP ${response.status}`)
  const body = (await response.json()) as { peers: string[] }
  return body.peers
}

export async function waitFor(check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 25))
  }
}
