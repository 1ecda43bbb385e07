import { RELAY_PROTOCOL_VERSION, type RelayServerEvents, relayRefOf } from '@convene/core/wire'
import type { MeetingView } from './meetingReads.js'
import type { Relay, RelaySocket } from './relayTypes.js'

type Welcome = Parameters<RelayServerEvents['welcome']>[0]

/**
 * Reads the meeting and tells `socket` how it is now: who is in it (itself too: see
 * `createSharedWelcomes`), who left it lately, who is away, and its END if a host ended it lately.
 * Resolves how many others it listed, or `null` if the socket was gone by then (nothing sent).
 * `full`: with every record, even to a returner (one that asked again because it lacked one).
 *
 * To the sockets of that read only, not through the cluster adapter's Redis stream, where every emit
 * is stored for connection-state recovery and read back by every node: a welcome of a meeting of
 * 1,000 is ~270 kB, and a herd of 500 returners would put 100 MB through Redis. Recovery therefore
 * cannot replay one lost in a drop: a client that reconnects recovered without having had its welcome
 * asks again (`resend-welcome`).
 */
export async function sendWelcome(
  relay: Relay,
  socket: RelaySocket,
  { full = false }: { full?: boolean } = {},
): Promise<number | null> {
  const { address, meetingKey, returning } = socket.data
  const view = await relay.read(meetingKey)
  if (!socket.connected) return null
  relay.welcome(socket, view, returning && !full)
  return view.listed.filter((peer) => peer.address !== address).length
}

/**
 * The welcome of everyone admitted on one read of a meeting (`createSharedWelcomes`); `byRef`: for
 * returners, the listed sessions named by reference to the records they hold (`RelayRef`).
 */
export function welcomeOf({ listed, away, recentlyGone, ended }: MeetingView, byRef = false): Welcome {
  const here = new Set(listed.map((peer) => peer.address))
  return {
    protocol: RELAY_PROTOCOL_VERSION,
    ...(byRef ? { peers: [], refs: listed.map(relayRefOf) } : { peers: listed }),
    gone: recentlyGone.filter((departure) => !here.has(departure.address)),
    away,
    ...(ended ? { ended } : {}),
  }
}
