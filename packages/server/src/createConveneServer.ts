import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import express from 'express'
import { ExpressPeerServer } from 'peer'
import { createDirectoryRouter } from './directoryRouter.js'
import { jsonErrors, notFound, sendError } from './httpErrors.js'
import { type ConveneServerOptions, resolveServerOptions } from './options.js'
import { connectRedis, type RedisCluster } from './relay/connectRedis.js'
import { createRelay } from './relay/createRelay.js'
import type { RelayTraffic } from './relay/relayOptions.js'
import { createMemoryRelayState } from './relay/relayState.js'
import { ownUpgradesOnly } from './relay/sharedUpgrades.js'
import { createRelayHandshakeCheck } from './relay/verifyRelayHandshake.js'
import { createRoomDirectory } from './roomDirectory.js'
import { checkedWebSocketServer } from './signalling/checkedWebSocketServer.js'
import { createSignallingRoles } from './signalling/signallingRoles.js'
import { withUnrefTimers } from './signalling/unrefTimers.js'
import { watchPeers } from './signalling/watchPeers.js'
import { createTokenRouter, createTokensDisabledRouter, ENABLE_TOKENS } from './tokenRouter.js'

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
  /** The Socket.IO relay's path, to pass as `@convene/transport-socketio`'s `path`; `null` with `relay: false`. */
  readonly relayPath: string | null
  /** Where tokens are issued (`POST`), when `auth` is on; otherwise `null`. */
  readonly tokenUrl: string | null
  /** Where the public keys are published, for `createMeeting({ auth: { jwks } })`, when `auth` is on; otherwise `null`. */
  readonly jwksUrl: string | null
  /** Engine.IO packets through this node's relay so far (zeros with `relay: false`). */
  relayTraffic(): RelayTraffic
  /**
   * Stops listening and drops every open connection (signalling sockets included), so the port is
   * free once this resolves. Idempotent.
   */
  close(): Promise<void>
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
  const log = resolved.logger
  // First, so a node that cannot reach its cluster fails before it listens.
  const cluster: RedisCluster | null = resolved.redis ? await connectRedis(resolved.redis, log) : null
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

  // The role each signalling socket's token was verified for, with signalling auth (who may end a meeting).
  const roles = resolved.auth && resolved.signallingAuth ? createSignallingRoles() : null
  const peerServer = ExpressPeerServer(server, {
    path: '/',
    key: resolved.key,
    allow_discovery: false,
    alive_timeout: resolved.aliveTimeoutMs,
    corsOptions: { origin: resolved.corsOrigin === true ? true : [resolved.corsOrigin].flat() },
    createWebSocketServer: ownUpgradesOnly(
      server,
      resolved.auth && roles
        ? checkedWebSocketServer([resolved.auth.signingKey.publicJwk], log, roles)
        : undefined,
    ),
  })
  // Four ping frames per allowance: one lost or late pong does not drop a live client.
  watchPeers(peerServer, directory, log, roles, Math.floor(resolved.aliveTimeoutMs / 4))
  const relayState = cluster?.state ?? createMemoryRelayState()
  const traffic: RelayTraffic = { packetsIn: 0, packetsOut: 0 }
  const relay = resolved.relay
    ? createRelay(server, {
        ...resolved.relay,
        corsOrigin: resolved.corsOrigin,
        adapter: cluster?.adapter,
        state: relayState,
        check: createRelayHandshakeCheck(
          resolved.auth ? [resolved.auth.signingKey.publicJwk] : null,
          relayState.claim,
        ),
        log,
        traffic,
      })
    : null

  app.use(resolved.auth ? createTokenRouter(resolved.auth, resolved) : createTokensDisabledRouter(resolved))
  app.use(resolved.directoryPath, createDirectoryRouter(directory, resolved))
  // PeerServer's discovery is off and would answer a plain-text 401: say so as every other route does.
  app.get(`${resolved.path}/:key/peers`, (_req, res) =>
    sendError(res, 404, 'NOT_FOUND', 'peer discovery is off: name a meeting in the room directory'),
  )
  withUnrefTimers(() => app.use(resolved.path, peerServer)) // PeerServer starts its timers on mount
  app.use(notFound)
  app.use(jsonErrors(log))

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(resolved.port, resolved.host, () => {
      server.off('error', reject)
      resolve()
    })
  }).catch(async (error: unknown) => {
    await cluster?.close()
    throw error
  })
  const { port } = server.address() as AddressInfo
  const hostInUrl = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host

  const url = `http://${hostInUrl}:${port}`
  log.info(
    {
      event: 'server.listening',
      url,
      path: resolved.path,
      directoryPath: resolved.directoryPath,
      relayPath: resolved.relay?.path ?? null,
      redis: resolved.redis !== null,
    },
    `convene-server listening on ${url} (PeerServer at ${resolved.path}, rooms at ${resolved.directoryPath}` +
      `${resolved.relay ? `, relay at ${resolved.relay.path}` : ''}${resolved.redis ? ', clustered over Redis' : ''})`,
  )
  if (!resolved.auth) {
    log.warn(
      { event: 'server.open', url },
      `convene-server runs OPEN, without tokens: anyone who can reach ${url} can list the peers of any meeting ` +
        `they name and register any peer id. To require tokens, ${ENABLE_TOKENS}.`,
    )
  }

  let closing: Promise<void> | undefined
  return {
    url,
    tokenUrl: resolved.auth ? `${url}${resolved.auth.tokenPath}` : null,
    jwksUrl: resolved.auth ? `${url}/.well-known/jwks.json` : null,
    port,
    host: resolved.host,
    path: resolved.path,
    directoryPath: resolved.directoryPath,
    relayPath: resolved.relay?.path ?? null,
    relayTraffic: () => ({ ...traffic }),
    close() {
      closing ??= new Promise<void>((resolve) => {
        // Socket.IO closes the HTTP server too; its callback comes once every connection is gone.
        if (relay) void relay.close()
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      }).then(() => cluster?.close())
      return closing
    },
  }
}
