import type { Server as HttpServer } from 'node:http'
import type { RelayGone, RelayMember } from '@convene/core/wire'
import {
  meetingKeyOfPeerId,
  RELAY_MAX_PACKET_BYTES,
  RELAY_PROTOCOL_VERSION,
  type RelayError,
  relayRefOf,
} from '@convene/core/wire'
import { Server } from 'socket.io'
import { admit, announce } from './admitSession.js'
import { createMeetingBatcher, PRESENCE_WINDOW_MS, RETURN_WINDOW_MS } from './meetingBatcher.js'
import { createMeetingReads } from './meetingReads.js'
import type { HeldDeparture } from './relayState.js'
import { meetingRoom, type Relay, type RelayConfig, type RelayServer } from './relayTypes.js'
import { createSharedWelcomes } from './sharedWelcomes.js'
import { clientProtocol } from './verifyRelayHandshake.js'

export type { RelayConfig, RelayServer } from './relayTypes.js'

/** How often each node looks for held departures that are due, and for dead nodes. */
const SWEEP_MS = 250

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
    maxHttpBufferSize: RELAY_MAX_PACKET_BYTES,
    cors: { origin: config.corsOrigin === true ? true : [config.corsOrigin].flat(), credentials: false },
    connectionStateRecovery: { maxDisconnectionDuration: config.recoveryMs, skipMiddlewares: true },
    ...(config.adapter ? { adapter: config.adapter } : {}),
  })

  io.use((socket, next) => {
    config.check(socket.handshake.auth).then(
      (result) => {
        if (!result.ok && result.refusal.code === 'PROTOCOL_VERSION') {
          // Its own event: a fleet half upgraded shows as many of these, not as refused tokens.
          log.warn(
            {
              event: 'relay.protocol-mismatch',
              client: String(clientProtocol(socket.handshake.auth)).slice(0, 20),
              relay: RELAY_PROTOCOL_VERSION,
              ip: socket.handshake.address,
            },
            'relay refused a client of another protocol version',
          )
          return next(refusal(result.refusal))
        }
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
        const returning = (socket.handshake.auth as { returning?: unknown } | undefined)?.returning === true
        socket.data = { address: result.address, meetingKey, member: result.member, returning }
        log.debug({ event: 'relay.checked', address: result.address }, 'relay handshake checked')
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

  const arrivals = createMeetingBatcher<RelayMember>((meetingKey, joined) =>
    io.to(meetingRoom(meetingKey)).emit('peers-joined', { joined }),
  )
  // A return is the same session on a new socket: named by reference to the record every session of
  // the meeting holds (a herd of 500 returners was 500 records for each of 1,000 listeners to parse).
  const returns = createMeetingBatcher<RelayMember>(
    (meetingKey, joined) =>
      io.to(meetingRoom(meetingKey)).emit('peers-joined', { joined: [], refs: joined.map(relayRefOf) }),
    RETURN_WINDOW_MS,
  )
  const departures = createMeetingBatcher<RelayGone>(
    (meetingKey, gone) => {
      // Whatever this node gathered before a departure is told first: a departure of a session whose
      // arrival or return is still gathered must not reach the others first (they would take it as
      // stale, an older socket than theirs, or the arrival after it as a new one).
      arrivals.flush()
      returns.flush()
      io.to(meetingRoom(meetingKey)).emit('peers-left', { gone })
    },
    PRESENCE_WINDOW_MS,
    // A `leave()` is told at once, not after a window: it is what the others wait for.
    { leading: true },
  )
  const relay: Relay = {
    io,
    config,
    tell: departures.add,
    introduce: arrivals.add,
    reintroduce: returns.add,
    read: createMeetingReads(config.state),
    welcome: createSharedWelcomes(io),
  }
  const announceLost = (held: HeldDeparture) =>
    announce(relay, held.meetingKey, { address: held.address, sid: held.sid, reason: 'lost' })
  let sweeping = false
  const sweep = setInterval(() => {
    if (sweeping) return
    sweeping = true
    config.state
      .due(Date.now(), config.failoverGraceMs)
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
    arrivals.flush()
    returns.flush()
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
