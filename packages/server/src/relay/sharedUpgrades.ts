import type { Server as HttpServer } from 'node:http'
import { WebSocketServer } from 'ws'

type WebSocketServerOptions = NonNullable<ConstructorParameters<typeof WebSocketServer>[0]>

/**
 * A `createWebSocketServer` for PeerServer that takes only the upgrades on its own path. Given the HTTP
 * server itself, `ws` answers 400 to every other upgrade, which would refuse the relay's WebSockets on
 * the same port; here it runs without a server and is handed just the requests for its path.
 */
export function ownUpgradesOnly(
  http: HttpServer,
  create: (options: WebSocketServerOptions) => WebSocketServer = (options) => new WebSocketServer(options),
) {
  return (options: WebSocketServerOptions): WebSocketServer => {
    const { server: _server, port: _port, ...rest } = options
    const wss = create({ ...rest, noServer: true })
    http.on('upgrade', (req, socket, head) => {
      const url = req.url ?? ''
      const query = url.indexOf('?')
      if ((query === -1 ? url : url.slice(0, query)) !== options.path) return
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
    })
    return wss
  }
}
