import { RELAY_PROTOCOL_VERSION, type RelayServerEvents } from '@convene/core/wire'
import type { Relay, RelaySocket } from './relayTypes.js'

type Welcome = Parameters<RelayServerEvents['welcome']>[0]

/**
 * Reads the meeting and tells `socket` how it is now: who is in it, who left it lately, who is away,
 * and its END if a host ended it lately. Resolves how many others it listed, or `null` if the socket
 * was gone by then (nothing sent).
 *
 * To this socket only, not through the cluster adapter's Redis stream, where every emit is stored for
 * connection-state recovery and read back by every node: a welcome of a meeting of 1,000 is ~200 kB,
 * and a herd of 500 returners would put 100 MB through Redis. Recovery therefore cannot replay one
 * lost in a drop: a client that reconnects recovered without having had its welcome asks again
 * (`resend-welcome`).
 */
export async function sendWelcome(relay: Relay, socket: RelaySocket): Promise<number | null> {
  const { address, meetingKey } = socket.data
  const { listed, away, recentlyGone, ended } = await relay.read(meetingKey)
  const peers = listed.filter((peer) => peer.address !== address)
  const here = new Set(listed.map((peer) => peer.address))
  const welcome: Welcome = {
    protocol: RELAY_PROTOCOL_VERSION,
    peers,
    gone: recentlyGone.filter((departure) => !here.has(departure.address)),
    away: away.filter((peer) => peer.address !== address),
    ...(ended ? { ended } : {}),
  }
  if (!socket.connected) return null
  relay.io.local.to(socket.id).emit('welcome', welcome)
  return peers.length
}
