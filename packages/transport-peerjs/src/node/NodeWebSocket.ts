import WebSocket from 'ws'

/**
 * `ws`'s WebSocket, failing as a browser's does. `ws` emits an `error` event for a refused or failed
 * connection, which Node throws when nobody listens, killing the process; a browser only fires
 * `onclose`, which PeerJS handles (and the transport then explains).
 */
export class NodeWebSocket extends WebSocket {
  constructor(...args: ConstructorParameters<typeof WebSocket>) {
    super(...args)
    this.on('error', () => {})
  }
}
