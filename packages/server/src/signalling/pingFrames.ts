// Why a client's WebSocket ping frames, and not only its own heartbeats, keep it listed: PeerJS pings
// from the page's timers, so a browser tab whose main thread froze for 10 s (five camera tabs on two
// cores did, at load 48-63) went unheard, PeerServer dropped its socket, and everyone declared it gone,
// only to take it back seconds later. A ping frame is answered by the browser's network stack, frozen
// page or not; a crashed tab's socket closes at once, and a suspended or cut-off device answers nothing,
// so both are still dropped. A tab that stays frozen is left to the meeting's own detector, which gives
// a session the server still lists `connectedDepartureTimeoutMs` (30 s) of silence.

const OPEN = 1

/** What of a PeerServer client's socket the ping frames use (`ws`'s `WebSocket`). */
export interface PingableSocket {
  readonly readyState: number
  ping(): void
  on(event: 'pong' | 'close', listener: () => void): unknown
}

/** What of a PeerServer client they use: its socket, and the liveness stamp PeerServer checks. */
export interface PingedClient {
  getSocket(): PingableSocket | null
  setLastPing(at: number): void
}

/**
 * Sends the client's socket a ping frame every `intervalMs` until it closes, and counts each pong as a
 * heartbeat (PeerServer drops a client `alive_timeout` after its last one).
 */
export function pingFrames(client: PingedClient, intervalMs: number): void {
  const socket = client.getSocket()
  if (socket === null) return
  socket.on('pong', () => client.setLastPing(Date.now()))
  const timer = setInterval(() => {
    if (socket.readyState === OPEN) socket.ping()
  }, intervalMs)
  // A server closing must not wait for its clients' ping timers.
  timer.unref()
  socket.on('close', () => clearInterval(timer))
}
