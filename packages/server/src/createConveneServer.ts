import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import express from 'express'
import { ExpressPeerServer } from 'peer'
import { WebSocketServer } from 'ws'
import { createDirectoryRouter } from './directoryRouter.js'
import { jsonErrors, notFound, sendError } from './httpErrors.js'
import { type ConveneServerOptions, resolveServerOptions } from './options.js'
import { createRoomDirectory } from './roomDirectory.js'
import { createSignallingCheck } from './signalling/verifySignalling.js'
import { createTokenRouter } from './tokenRouter.js'

export interface ConveneServer {
  /** The base URL, such as `http://127.0.0.1:9000`. */
  readonly url: string
  /** The port actually bound (useful with `port: 0`). */
  readonly port: number
  /** The interface the server listens on. */
  readonly host: string
  /** PeerServer's mount path, to pass as the transport's `path`. */
  readonly path: string
  /** The room directory's mount path. */
  readonly directoryPath: string
  /** Where tokens are issued (`POST`), when `auth` is on; otherwise `null`. */
  readonly tokenUrl: string | null
  /** Where the public keys are published, for `createMeeting({ auth: { jwks } })`, when `auth` is on; otherwise `null`. */
  readonly jwksUrl: string | null
  /**
   * Stops listening and drops every open connection (signalling sockets included), so the port is
   * free once this resolves. Idempotent.
   */
  close(): Promise<void>
}

/**
 * PeerServer's WebSocket server, with every upgrade checked first (ws's async `verifyClient` runs after
 * the path and handshake checks, before the upgrade completes): a refused request gets HTTP 401 and is
 * closed without PeerServer ever seeing it; an accepted one reaches PeerServer with its `token` reduced
 * to the session's secret.
 */
function checkedWebSocketServer(keys: Parameters<typeof createSignallingCheck>[0]) {
  const check = createSignallingCheck(keys)
  return (options: ConstructorParameters<typeof WebSocketServer>[0]) =>
    new WebSocketServer({
      ...options,
      verifyClient: (info, done) => {
        check(info.req.url ?? '').then(
          (result) => {
            if (!result.ok) return done(false, result.status, result.reason)
            info.req.url = result.url
            done(true)
          },
          () => done(false, 401, 'the token could not be checked'),
        )
      },
    })
}

/**
 * Starts PeerServer (the `peer` package, with `allow_discovery` off) plus Convene's room directory on
 * one HTTP server. A peer is listed in its meeting only while its signalling connection is open. With
 * `auth`, it also issues participant tokens, the room directory asks for one, and PeerServer registers
 * a peer id only against a proof of possession (see `signallingAuth`).
 *
 * Rejects with `MeetingError('INVALID_OPTION')` for a bad option, or with the listen error (such as
 * `EADDRINUSE`).
 */
export async function createConveneServer(options: ConveneServerOptions = {}): Promise<ConveneServer> {
  const resolved = resolveServerOptions(options)
  const directory = createRoomDirectory()
  const app = express()
  app.disable('x-powered-by')
  const server: Server = createServer(app)

  // Upgraded (WebSocket) sockets leave the HTTP server's bookkeeping, so close() tracks them itself.
  const sockets = new Set<Socket>()
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })

  const peerServer = ExpressPeerServer(server, {
    path: '/',
    key: resolved.key,
    allow_discovery: false,
    alive_timeout: resolved.aliveTimeoutMs,
    corsOptions: { origin: resolved.corsOrigin === true ? true : [resolved.corsOrigin].flat() },
    ...(resolved.auth && resolved.signallingAuth
      ? { createWebSocketServer: checkedWebSocketServer([resolved.auth.signingKey.publicJwk]) }
      : {}),
  })
  peerServer.on('connection', (client) => directory.add(client.getId()))
  peerServer.on('disconnect', (client) => directory.remove(client.getId()))
  // An 'error' event without a listener would throw and take the whole server down.
  peerServer.on('error', () => {})

  if (resolved.auth) app.use(createTokenRouter(resolved.auth, resolved))
  app.use(resolved.directoryPath, createDirectoryRouter(directory, resolved))
  // PeerServer's discovery is off and would answer a plain-text 401: say so as every other route does.
  app.get(`${resolved.path}/:key/peers`, (_req, res) =>
    sendError(res, 404, 'NOT_FOUND', 'peer discovery is off: name a meeting in the room directory'),
  )
  app.use(resolved.path, peerServer)
  app.use(notFound)
  app.use(
    jsonErrors((error) =>
      console.error('[convene-server] unexpected error:', error instanceof Error ? error.message : error),
    ),
  )

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const hostInUrl = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host

  const url = `http://${hostInUrl}:${port}`

  let closing: Promise<void> | undefined
  return {
    url,
    tokenUrl: resolved.auth ? `${url}${resolved.auth.tokenPath}` : null,
    jwksUrl: resolved.auth ? `${url}/.well-known/jwks.json` : null,
    port,
    host: resolved.host,
    path: resolved.path,
    directoryPath: resolved.directoryPath,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
      // Note: the `peer` package arms two housekeeping timers with no API to stop them; they hold
      // nothing but an empty realm after this, and a CLI exits explicitly.
      return closing
    },
  }
}
