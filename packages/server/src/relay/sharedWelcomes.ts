import type { MeetingView } from './meetingReads.js'
import type { RelayServer, RelaySocket } from './relayTypes.js'
import { welcomeOf } from './welcome.js'

/**
 * Welcomes, one packet per read of a meeting and form: every session admitted on the same read gets
 * the same welcome (the whole roster, itself included: its transport skips its own record; returners
 * get it by reference, `welcomeOf`), so Socket.IO encodes it and frames it once for all of them. A
 * welcome of a meeting of 1,000 is ~270 kB, ~6 ms to encode on a busy machine: one per returner, a
 * herd of 500 after a node died cost the node that took them in seconds of its event loop, while
 * their connections waited to be accepted.
 *
 * The sockets of one read resume together (one promise), so they are gathered until the microtasks
 * run out: nothing else reaches those sockets in between.
 */
export function createSharedWelcomes(
  io: RelayServer,
): (socket: RelaySocket, view: MeetingView, byRef: boolean) => void {
  const waiting = new Map<MeetingView, { full: string[]; byRef: string[] }>()
  const send = (view: MeetingView) => {
    const sids = waiting.get(view)
    waiting.delete(view)
    // To these sockets only, not through the cluster adapter's Redis stream (see `sendWelcome`).
    if (sids?.full.length) io.local.to(sids.full).emit('welcome', welcomeOf(view))
    if (sids?.byRef.length) io.local.to(sids.byRef).emit('welcome', welcomeOf(view, true))
  }
  return (socket, view, byRef) => {
    let sids = waiting.get(view)
    if (!sids) {
      sids = { full: [], byRef: [] }
      waiting.set(view, sids)
      queueMicrotask(() => send(view))
    }
    ;(byRef ? sids.byRef : sids.full).push(socket.id)
  }
}
