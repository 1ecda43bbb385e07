import type { MeetingView } from './meetingReads.js'
import type { RelayServer, RelaySocket } from './relayTypes.js'
import { welcomeOf } from './welcome.js'

/**
 * Welcomes, one packet per read of a meeting: every session admitted on the same read gets the same
 * welcome (the whole roster, itself included: its transport skips its own record), so Socket.IO
 * encodes it and frames it once for all of them. A welcome of a meeting of 1,000 is ~270 kB, ~6 ms to
 * encode on a busy machine: one per returner, a herd of 500 after a node died cost the node that took
 * them in seconds of its event loop, while their connections waited to be accepted.
 *
 * The sockets of one read resume together (one promise), so they are gathered until the microtasks
 * run out: nothing else reaches those sockets in between.
 */
export function createSharedWelcomes(io: RelayServer): (socket: RelaySocket, view: MeetingView) => void {
  const waiting = new Map<MeetingView, string[]>()
  const send = (view: MeetingView) => {
    const sids = waiting.get(view) ?? []
    waiting.delete(view)
    const welcome = welcomeOf(view)
    // To these sockets only, not through the cluster adapter's Redis stream (see `sendWelcome`).
    io.local.to(sids).emit('welcome', welcome)
  }
  return (socket, view) => {
    const sids = waiting.get(view)
    if (sids) {
      sids.push(socket.id)
      return
    }
    waiting.set(view, [socket.id])
    queueMicrotask(() => send(view))
  }
}
