import type { Server as HttpServer } from 'node:http'
import {
  meetingKeyOfPeerId,
  RELAY_MAX_MESSAGE_CHARS,
  type RelayClientEvents,
  type RelayError,
  type RelayLeaveReason,
  type RelayServerEvents,
} from '@convene/core/wire'
import type { Logger } from 'pino'
import { Server, type ServerOptions, type Socket } from 'socket.io'
import type { RelayState } from './relayState.js'
import type { RelayHandshake } from './verifyRelayHandshake.js'

/** What a relay socket carries; Socket.IO keeps it across a recovered reconnect (and in Redis, in a cluster). */
interface RelayData {
  address: string
  meetingKey: string
}

type RelaySocket = Socket<RelayClientEvents, RelayServerEvents, Record<string, never>, RelayData>
export type RelayServer = Server<RelayClientEvents, RelayServerEvents, Record<string, never>, RelayData>

export interface RelayConfig {
  path: string
  pingIntervalMs: number
  pingTimeoutMs: number
  recoveryMs: number
  corsOrigin: true | string | readonly string[]
  adapter?: ServerOptions['adapter']
  state: RelayState
  check: (auth: unknown) => Promise<RelayHandshake>
  log: Logger
}

const meetingRoom = (meetingKey: string) => `m:${meetingKey}`
const addressRoom = (address: string) => `a:${address}`

/** Socket.IO's disconnect reasons, as a session's peers are told them. */
function leaveReason(reason: string): RelayLeaveReason {
  if (reason === 'client namespace disconnect') return 'left'
  if (reason === 'server namespace disconnect') return 'replaced'
  return 'lost'
}

/** An Error for Socket.IO's `connect_error`, carrying `{ code, error }` and nothing else (no stack goes out). */
function refusal(error: RelayError): Error & { data: RelayError } {
  return Object.assign(new Error(error.error), { data: error })
}

/**
 * Serves the Socket.IO relay on `http`, under `config.path`: rooms per meeting, delivery to one
 * session or to the meeting, the sender stamped by the server. Connection-state recovery keeps a
 * session's socket id, rooms and missed messages through a short drop (`recoveryMs`), on any node of a
 * cluster with the Redis Streams adapter.
 */
export function createRelay(http: HttpServer, config: RelayConfig): RelayServer {
  const { log } = config
  const io: RelayServer = new Server(http, {
    path: config.path,
    serveClient: false,
    // PeerServer's own WebSocket server shares this HTTP server's upgrades: Engine.IO must leave
    // upgrades on other paths alone instead of destroying them after a second.
    destroyUpgrade: false,
    pingInterval: config.pingIntervalMs,
    pingTimeout: config.pingTimeoutMs,
    maxHttpBufferSize: 2 * RELAY_MAX_MESSAGE_CHARS,
    cors: { origin: config.corsOrigin === true ? true : [config.corsOrigin].flat(), credentials: false },
    connectionStateRecovery: { maxDisconnectionDuration: config.recoveryMs, skipMiddlewares: true },
    ...(config.adapter ? { adapter: config.adapter } : {}),
  })

  io.use((socket, next) => {
    config.check(socket.handshake.auth).then(
      (result) => {
        if (!result.ok) {
          log.warn(
            {
              event: 'relay.refused',
              code: result.refusal.code,
              reason: result.refusal.error,
              ip: socket.handshake.address,
            },
            `relay refused: ${result.refusal.error}`,
          )
          return next(refusal(result.refusal))
        }
        const meetingKey = meetingKeyOfPeerId(result.address) as string
        socket.data = { address: result.address, meetingKey }
        next()
      },
      (error: unknown) => {
        log.error({ event: 'relay.check-failed', err: error }, 'relay handshake could not be checked')
        next(refusal({ code: 'INTERNAL_ERROR', error: 'the handshake could not be checked; try again' }))
      },
    )
  })

  io.on('connection', (socket) => {
    void admit(io, socket, config).catch((error: unknown) => {
      log.error({ event: 'relay.admit-failed', err: error }, 'relay could not admit a session')
      socket.emit('refused', { code: 'INTERNAL_ERROR', error: 'the relay could not admit the session' })
      socket.disconnect(true)
    })
  })
  return io
}

async function admit(io: RelayServer, socket: RelaySocket, config: RelayConfig): Promise<void> {
  const { state, log } = config
  const { address, meetingKey } = socket.data
  const me = { address, sid: socket.id }
  socket.on('msg', (to, data) => {
    try {
      forward(socket, to, data)
    } catch (error) {
      log.error({ event: 'relay.forward-failed', err: error }, 'relay could not forward a message')
    }
  })
  socket.on('flush', (ack) => {
    if (typeof ack === 'function') ack()
  })
  socket.on('disconnect', (reason) => {
    const why = leaveReason(reason)
    io.to(meetingRoom(meetingKey)).emit('peer-left', { ...me, reason: why })
    log.info({ event: 'relay.left', address, reason: why }, 'relay session left')
    state.remove(meetingKey, me).catch((error: unknown) => {
      log.error({ event: 'relay.state-failed', err: error }, 'relay could not unlist a session')
    })
  })
  if (socket.recovered) {
    // Same socket id, rooms and data: its peers were told it left, so tell them it is back.
    await state.add(meetingKey, me)
    socket.to(meetingRoom(meetingKey)).emit('peer-joined', me)
    log.info({ event: 'relay.recovered', address }, 'relay session recovered')
    return
  }
  // The newest connection of an address wins, on whichever node the older one is. A cluster adapter
  // applies this after a round trip to Redis, when this socket is in the room too: hence `except`.
  io.in(addressRoom(address)).except(socket.id).disconnectSockets(true)
  socket.join([meetingRoom(meetingKey), addressRoom(address)])
  await state.add(meetingKey, me)
  const peers = (await state.list(meetingKey)).filter((peer) => peer.address !== address)
  if (!socket.connected) return
  socket.emit('welcome', { peers })
  socket.to(meetingRoom(meetingKey)).emit('peer-joined', me)
  log.info({ event: 'relay.joined', address, peers: peers.length }, 'relay session joined')
}

/** Relays one message with the server's stamp of who sent it; refuses anything malformed. */
function forward(socket: RelaySocket, to: unknown, data: unknown): void {
  const refuse = (code: RelayError['code'], error: string) => socket.emit('refused', { code, error })
  if (typeof data !== 'string') return void refuse('INVALID_MESSAGE', 'a message is msg(to | null, text)')
  if (data.length > RELAY_MAX_MESSAGE_CHARS) {
    return void refuse('MESSAGE_TOO_LARGE', `a message is at most ${RELAY_MAX_MESSAGE_CHARS} characters`)
  }
  const { address, meetingKey } = socket.data
  const message = { from: address, data }
  if (to === null || to === undefined) {
    socket.to(meetingRoom(meetingKey)).emit('msg', message)
    return
  }
  if (typeof to !== 'string' || meetingKeyOfPeerId(to) !== meetingKey) {
    return void refuse('INVALID_ADDRESS', '`to` must be the address of a session in the same meeting')
  }
  socket.to(addressRoom(to)).emit('msg', message)
}
