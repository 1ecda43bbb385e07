import { createSessionKey, type SessionKey } from './sessionKey.js'

/**
 * Session key pairs made one ahead: the first when the meeting is created, each next one as the last is
 * taken. A join then finds its key ready instead of waiting for WebCrypto, which is tens of ms on a busy
 * page and sits on the join's path (nothing else can start before the token, which names the key). Each
 * key still serves one session only. One made ahead that failed is made again when taken, so the join
 * reports a failure of its own time.
 */
export function keysAhead(make: () => Promise<SessionKey> = createSessionKey): () => Promise<SessionKey> {
  const ahead = () => {
    const made = make()
    // Reported by the join that takes it, not as an unhandled rejection now.
    made.catch(() => {})
    return made
  }
  let next = ahead()
  return () => {
    const taken = next.catch(() => make())
    next = ahead()
    return taken
  }
}
