import { parsePeerId, SIGNALLING_QUERY } from '@convene/core/wire'
import type { Logger } from 'pino'
import { WebSocketServer } from 'ws'
import type { SignallingRoles } from './signallingRoles.js'
import { createSignallingCheck } from './verifySignalling.js'

/** The `id` a PeerServer connection URL asks for; its `token` is never read here, so never logged. */
function requestedPeerId(requestUrl: string): string | null {
  try {
    return new URL(requestUrl, 'http://peerserver.invalid').searchParams.get(SIGNALLING_QUERY.id)
  } catch {
    return null
  }
}

/**
 * PeerServer's WebSocket server, with every upgrade checked first (ws's async `verifyClient` runs after
 * the path and handshake checks, before the upgrade completes): a refused request gets HTTP 401 and is
 * closed without PeerServer ever seeing it, and is logged with its reason; an accepted one reaches
 * PeerServer with its `token` reduced to the session's secret, and its token's role kept in `roles`.
 */
export function checkedWebSocketServer(
  keys: Parameters<typeof createSignallingCheck>[0],
  log: Logger,
  roles: SignallingRoles,
) {
  const check = createSignallingCheck(keys)
  return (options: ConstructorParameters<typeof WebSocketServer>[0]) => {
    const wss = new WebSocketServer({
      ...options,
      verifyClient: (info, done) => {
        const requestUrl = info.req.url ?? ''
        const refuse = (status: number, reason: string) => {
          const peerId = requestedPeerId(requestUrl)
          const identity = peerId === null ? null : parsePeerId(peerId)
          log.warn(
            {
              event: 'signalling.refused',
              peerId,
              ...identity,
              status,
              reason,
              ip: info.req.socket.remoteAddress,
            },
            `signalling refused: ${reason}`,
          )
          done(false, status, reason)
        }
        check(requestUrl).then(
          (result) => {
            if (!result.ok) return refuse(result.status, result.reason)
            info.req.url = result.url
            roles.verified(info.req, result.role)
            done(true)
          },
          () => refuse(401, 'the token could not be checked'),
        )
      },
    })
    // Before PeerServer's own listener (added once this returns), though only a later message reads it.
    wss.on('connection', (socket, request) => roles.connected(socket, request))
    return wss
  }
}
