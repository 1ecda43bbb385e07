import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type WebSocket, WebSocketServer } from 'ws'

/**
 * A stand-in for `@convene/server` that a test scripts: an empty room directory, and a PeerServer
 * WebSocket that says OPEN to whoever connects and then sends whatever the test gives `send`.
 */
export interface FakePeerServer {
  readonly port: number
  /** Resolves with the next client's socket, once it connected and was told OPEN. */
  nextClient(): Promise<WebSocket>
  close(): Promise<void>
}

export async function startFakePeerServer(): Promise<FakePeerServer> {
  const http: Server = createServer((req, res) => {
    if (req.url?.startsWith('/convene/rooms/')) {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ peers: [] }))
    } else {
      res.writeHead(404).end()
    }
  })
  const sockets = new WebSocketServer({ server: http, path: '/peerjs/peerjs' })
  const arrived: WebSocket[] = []
  const waiting: ((socket: WebSocket) => void)[] = []
  sockets.on('connection', (socket) => {
    socket.send(JSON.stringify({ type: 'OPEN' }))
    const waiter = waiting.shift()
    if (waiter) waiter(socket)
    else arrived.push(socket)
  })
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve))
  return {
    port: (http.address() as AddressInfo).port,
    nextClient() {
      const socket = arrived.shift()
      return socket ? Promise.resolve(socket) : new Promise((resolve) => waiting.push(resolve))
    },
    async close() {
      for (const client of sockets.clients) client.terminate()
      await new Promise<void>((resolve) => sockets.close(() => resolve()))
      await new Promise<void>((resolve) => http.close(() => resolve()))
    },
  }
}
