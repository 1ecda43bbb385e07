import { MeetingError, type TransportEvent } from '@convene/core'
import type { RelayClientEvents, RelayError, RelayServerEvents } from '@convene/core/wire'
import { Observable, type Subscription, tap } from 'rxjs'
import { Manager, type Socket } from 'socket.io-client'
import { LinkBook } from './LinkBook.js'
import type { ResolvedSocketIOOptions } from './options.js'
import { checkHandshakeSize, handshakeTooLarge, isPacketTooLarge, sentTooLarge } from './packetTooLarge.js'
import type { RelayAuth } from './relayCredential.js'
import { mapMany, merged, on, onEach } from './streams.js'

export type RelaySocket = Socket<RelayServerEvents, RelayClientEvents>

/** Where the Manager connects next: Socket.IO reads `opts` afresh at each attempt. */
function aim(manager: Manager, url: URL): void {
  const secure = url.protocol === 'https:' || url.protocol === 'wss:'
  Object.assign(manager.opts, { hostname: url.hostname, port: url.port || (secure ? '443' : '80'), secure })
}

function refusedBy(error: RelayError, joined: boolean): MeetingError {
  if (error.code === 'PROTOCOL_VERSION') {
    return new MeetingError('PROTOCOL_VERSION', `The relay refused the session: ${error.error}`)
  }
  const auth = error.code === 'UNAUTHORIZED' || error.code === 'INVALID_PROOF'
  const code = auth ? 'AUTH_FAILED' : joined ? 'TRANSPORT_ERROR' : 'JOIN_FAILED'
  return new MeetingError(code, `The relay refused the session (${error.code}): ${error.error}`)
}

const closedFor =
  'is over what the relay, or a proxy in front of it, reads: it closed the connection (WebSocket close 1009 or HTTP 413)'

/**
 * One session on the relay, as a cold Observable of the contract's events: subscribing connects,
 * unsubscribing disconnects. Reconnection (with backoff, moving to the next URL at each attempt) and
 * connection-state recovery are Socket.IO's own; this pipeline only translates what the relay says.
 */
export function relaySession(
  address: string,
  options: ResolvedSocketIOOptions,
  auth: () => Promise<RelayAuth>,
  onSocket: (socket: RelaySocket | null) => void,
): Observable<TransportEvent> {
  return new Observable<TransportEvent>((subscriber) => {
    const manager = new Manager({
      autoConnect: false,
      path: options.path,
      transports: options.transports,
      reconnectionDelay: options.reconnectionDelayMs,
      reconnectionDelayMax: options.reconnectionDelayMaxMs,
      timeout: options.connectTimeoutMs,
    })
    let target = 0
    aim(manager, options.urls[0]!)
    const book = new LinkBook(address)
    // Whether the relay took the session on this connection: one closed for a packet too large before
    // that was closed for its handshake, which every retry would send again.
    let taken = false
    const socket: RelaySocket = manager.socket('/', {
      auth: (send) => {
        auth().then(
          (presented) => {
            // A returner holds the meeting's records: its welcome may name them instead of resending them.
            const handshake = book.holdsRecords ? { ...presented, returning: true } : presented
            const tooLarge = checkHandshakeSize(handshake)
            if (tooLarge) subscriber.next({ type: 'error', error: tooLarge, fatal: true })
            else send(handshake)
          },
          (error: unknown) => {
            subscriber.next({ type: 'error', error, fatal: true })
          },
        )
      },
    })
    let unreachable = 0
    const fatal = (error: unknown): TransportEvent[] => [{ type: 'error', error, fatal: true }]

    const events = merged(
      on(socket, 'connect').pipe(
        mapMany(() => {
          taken = true
          const events = book.connected(socket.recovered)
          // Recovery replays what went through the adapter, never a welcome (sent to this socket only):
          // one lost in the drop is asked for again.
          if (socket.recovered && book.awaitingWelcome) socket.emit('resend-welcome')
          return events
        }),
      ),
      on(socket, 'welcome').pipe(
        mapMany((w) => {
          const events = book.welcome(w)
          // It named a record this session does not hold: the welcome again, with every record.
          if (book.lackingRecords) socket.emit('resend-welcome')
          return events
        }),
      ),
      on(socket, 'peers-joined').pipe(
        mapMany((p) => {
          const events = book.joined(p)
          if (book.lackingRecords) socket.emit('resend-welcome')
          return events
        }),
      ),
      on(socket, 'peers-left').pipe(mapMany((p) => book.left(p))),
      on(socket, 'msg').pipe(mapMany((m) => book.message(m))),
      on(socket, 'refused').pipe(
        mapMany((error): TransportEvent[] => [
          { type: 'error', error: refusedBy(error as RelayError, true), fatal: false },
        ]),
      ),
      onEach(socket, 'disconnect').pipe(
        mapMany(([reason, details]): TransportEvent[] => {
          const wasTaken = taken
          taken = false
          if (reason === 'io client disconnect') return []
          if (isPacketTooLarge(details)) {
            if (!wasTaken) return fatal(handshakeTooLarge(closedFor))
            return [{ type: 'error', error: sentTooLarge(), fatal: false }, ...book.disconnected()]
          }
          if (reason === 'io server disconnect') {
            // The server let a newer connection of this very address in, or closed the meeting behind a
            // host's END (which came first, on this socket): this one is over.
            return fatal(
              new MeetingError(
                'TRANSPORT_ERROR',
                'The relay closed this session: another connection took it over, or a host ended the meeting.',
              ),
            )
          }
          return book.disconnected()
        }),
      ),
      on(socket, 'connect_error').pipe(
        mapMany((value) => {
          const error = value as Error & { data?: RelayError }
          // Over polling, Engine.IO's 413 for the handshake's POST comes here first.
          if (isPacketTooLarge(error)) return fatal(handshakeTooLarge(closedFor))
          // Refused by the server's check: Socket.IO does not retry that, and neither could we.
          if (error.data && typeof error.data.code === 'string')
            return fatal(refusedBy(error.data, book.isReady))
          unreachable++
          if (book.isReady || unreachable < options.urls.length) return []
          const where = options.urls.map(String).join(', ')
          return fatal(
            new MeetingError('JOIN_FAILED', `Cannot reach the relay at ${where}: ${error.message}`),
          )
        }),
      ),
      // Each attempt goes to the next node of the list; with one URL, to the same one again.
      on(manager, 'reconnect_attempt').pipe(
        tap(() => {
          target = (target + 1) % options.urls.length
          aim(manager, options.urls[target]!)
        }),
        mapMany(() => []),
      ),
    )
    const pagehide = (): void => subscriber.next({ type: 'terminating' })
    globalThis.addEventListener?.('pagehide', pagehide)
    const subscription: Subscription = events.subscribe(subscriber)
    onSocket(socket)
    socket.connect()
    return () => {
      globalThis.removeEventListener?.('pagehide', pagehide)
      subscription.unsubscribe()
      onSocket(null)
      socket.disconnect()
    }
  })
}
