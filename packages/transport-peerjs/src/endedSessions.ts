/** How many ended sessions a transport remembers: enough for every peer the directory can still list. */
const REMEMBERED = 256

/** What a session sends on each link as it ends, after everything else (`drain`): "this session is over". */
export const SESSION_OVER = '\u0001over'

/**
 * Peer ids of sessions known to be over: this transport's own earlier sessions, and remote sessions
 * that said so (`SESSION_OVER`) as they ended. A peer id names one session, which never comes back,
 * so such an id is neither dialled again nor waited for, even while the room directory still lists it:
 * the directory forgets a peer only once its PeerServer connection has closed, and a session that
 * joins just after a leave (the same app rejoining) can be listed the one that left. Shared by the
 * sessions of one transport; the oldest are forgotten past `REMEMBERED`.
 */
export class EndedSessions {
  private readonly ids = new Set<string>()

  add(peerId: string): void {
    this.ids.delete(peerId)
    this.ids.add(peerId)
    if (this.ids.size > REMEMBERED) this.ids.delete(this.ids.values().next().value as string)
  }

  has(peerId: string): boolean {
    return this.ids.has(peerId)
  }
}
