import type { Server as HttpServer } from 'node:http'
import {
  meetingKeyOfPeerId,
  RELAY_MAX_MESSAGE_CHARS,
  type RelayClientEvents,
  type RelayError,
  type RelayGone,
  type RelayLeaveReason,
  type RelayMember,
  type RelayServerEvents,
} from '@convene/core/wire'
import type { Logger } from 'pino'
import { Server, type ServerOptions, type Socket } from 'socket.io'
import { createDepartureBatcher } from './departures.js'
import type { MemberRecord } from './relayMember.js'
import type { RelayTraffic } from './relayOptions.js'
import type { HeldDeparture, RelayState } from './relayState.js'
import type { RelayHandshake } from './verifyRelayHandshake.js'

/** What a relay socket carries; Socket.IO keeps it across a recovered reconnect (and in Redis, in a cluster). */
interface RelayData {
  address: string
  meetingKey: string
  /** What the relay vouches for about this session (its media kept current). */
  member: MemberRecord
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
  /** Counted here, read by `ConveneServer.relayTraffic()`. */
  traffic: RelayTraffic
}

/** How often each node looks for held departures that are due, and for dead nodes. */
const SWEEP_MS = 250

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
        socket.data = { address: result.address, meetingKey, member: result.member }
        next()
      },
      (error: unknown) => {
        log.error({ event: 'relay.check-failed', err: error }, 'relay handshake could not be checked')
        next(refusal({ code: 'INTERNAL_ERROR', error: 'the handshake could not be checked; try again' }))
      },
    )
  })

  io.engine.on('connection', (client: { on(event: string, listener: () => void): void }) => {
    client.on('packet', () => config.traffic.packetsIn++)
    client.on('packetCreate', () => config.traffic.packetsOut++)
  })

  const departures = createDepartureBatcher((meetingKey, gone) =>
    io.to(meetingRoom(meetingKey)).emit('peers-left', { gone }),
  )
  const relay: Relay = { io, config, tell: departures.add }
  const announceLost = (held: HeldDeparture) =>
    announce(relay, held.meetingKey, { address: held.address, sid: held.sid, reason: 'lost' })
  let sweeping = false
  const sweep = setInterval(() => {
    if (sweeping) return
    sweeping = true
    config.state
      .due(Date.now(), config.recoveryMs)
      .then((due) => due.forEach(announceLost))
      .catch((error: unknown) => {
        log.error({ event: 'relay.sweep-failed', err: error }, 'relay could not sweep held departures')
      })
      .finally(() => {
        sweeping = false
      })
  }, SWEEP_MS)
  sweep.unref()
  http.once('close', () => {
    clearInterval(sweep)
    departures.flush()
  })

  io.on('connection', (socket) => {
    void admit(relay, socket).catch((error: unknown) => {
      log.error({ event: 'relay.admit-failed', err: error }, 'relay could not admit a session')
      socket.emit('refused', { code: 'INTERNAL_ERROR', error: 'the relay could not admit the session' })
      socket.disconnect(true)
    })
  })
  return io
}

/** The relay's parts that admitting and announcing need. */
interface Relay {
  io: RelayServer
  config: RelayConfig
  /** Queues a departure for the meeting's next `peers-left`. */
  tell: (meetingKey: string, departure: RelayGone) => void
}

async function admit(relay: Relay, socket: RelaySocket): Promise<void> {
  const { io, config } = relay
  const { state, log } = config
  const { address, meetingKey } = socket.data
  const me: RelayMember = { ...socket.data.member, sid: socket.id }
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
  socket.on('media', (media: unknown) => {
    const { mic, webcam } = (typeof media === 'object' && media !== null ? media : {}) as Record<
      string,
      unknown
    >
    if (typeof mic !== 'boolean' || typeof webcam !== 'boolean') {
      socket.emit('refused', { code: 'INVALID_MESSAGE', error: 'media is { mic: boolean, webcam: boolean }' })
      return
    }
    // Kept for those who join later; the others hear the change in the session's own MEDIA message.
    socket.data.member = { ...socket.data.member, media: { mic, webcam } }
    state.setMedia(meetingKey, { address, sid: socket.id }, { mic, webcam }).catch((error: unknown) => {
      log.error({ event: 'relay.state-failed', err: error }, 'relay could not record a media change')
    })
  })
  // Presence (`welcome`, `peer-joined`, `peers-left`) comes only from the server: a client has no say in it.
  socket.onAny((event: unknown) => {
    if (event === 'msg' || event === 'flush' || event === 'media') return
    log.warn(
      { event: 'relay.refused-event', address, name: String(event).slice(0, 40) },
      'relay refused an event',
    )
    socket.emit('refused', {
      code: 'INVALID_MESSAGE',
      error: 'a client sends only msg(to | null, text), media and flush; presence comes from the server',
    })
  })
  socket.on('disconnect', (reason) => {
    const why = leaveReason(reason)
    const failed = (error: unknown) =>
      log.error({ event: 'relay.state-failed', err: error }, 'relay could not unlist a session')
    const unlisted = state.remove(meetingKey, { address, sid: me.sid })
    if (why === 'lost') {
      // Not told yet: it may come back within the grace period, on this node or another.
      log.info(
        { event: 'relay.dropped', address, reason },
        'relay session dropped; held for its grace period',
      )
      unlisted.then(() => state.hold({ meetingKey, ...me }, Date.now() + config.recoveryMs)).catch(failed)
      return
    }
    unlisted.catch(failed)
    const gone: RelayGone = { address, sid: me.sid, reason: why }
    if (why === 'replaced') {
      // The same session on a newer socket: a new channel, not a departure (nor remembered as one).
      relay.tell(meetingKey, gone)
      return
    }
    announce(relay, meetingKey, gone)
  })
  if (socket.recovered) {
    // Same socket id, rooms and data, back within its grace period: its peers were told nothing (its
    // held departure is cancelled). Sessions that joined meanwhile did not find it listed: they learn now.
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
  const [listed, recentlyGone] = await Promise.all([state.list(meetingKey), state.recentlyGone(meetingKey)])
  const peers = listed.filter((peer) => peer.address !== address)
  const here = new Set(listed.map((peer) => peer.address))
  const gone = recentlyGone.filter((departure) => !here.has(departure.address))
  if (!socket.connected) return
  socket.emit('welcome', { peers, gone })
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

/** Tells the meeting, on every node, that a session left it; remembered for sessions away meanwhile. */
function announce(relay: Relay, meetingKey: string, departure: RelayGone): void {
  const { config } = relay
  relay.tell(meetingKey, departure)
  config.log.info(
    { event: 'relay.left', address: departure.address, reason: departure.reason },
    'relay session left',
  )
  config.state.gone(meetingKey, departure).catch((error: unknown) => {
    config.log.error({ event: 'relay.state-failed', err: error }, 'relay could not remember a departure')
  })
}
