import {
  meetingKeyOfPeerId,
  parsePeerId,
  RELAY_MAX_MESSAGE_CHARS,
  type RelayClientEvents,
  type RelayError,
  readEndCommand,
  readFields,
} from '@convene/core/wire'
import { closeMeeting } from './closeMeeting.js'
import { addressRoom, meetingRoom, type Relay, type RelaySocket } from './relayTypes.js'
import { sendWelcome } from './welcome.js'

const CLIENT_EVENTS: ReadonlySet<unknown> = new Set<keyof RelayClientEvents>([
  'msg',
  'end',
  'media',
  'flush',
  'resend-welcome',
])

/**
 * Serves what an admitted socket sends: its messages, its END, its media, its flushes and its requests
 * for a welcome. Each bad input is answered with `refused` (`{ code, error }`, no stack) and changes
 * nothing; nothing a client sends can throw out of a handler.
 */
export function serveInbound(relay: Relay, socket: RelaySocket): void {
  const { log, state } = relay.config
  const refuse = (code: RelayError['code'], error: string): false => {
    socket.emit('refused', { code, error })
    return false
  }
  const guarded =
    <A extends unknown[]>(what: string, handler: (...args: A) => void) =>
    (...args: A) => {
      try {
        handler(...args)
      } catch (error) {
        log.error({ event: 'relay.inbound-failed', err: error }, `relay could not handle ${what}`)
        refuse('INTERNAL_ERROR', `the relay could not handle ${what}`)
      }
    }
  /** An END on its way out: a flush acknowledges only after it (what `drain()` waits for). */
  let ending: Promise<void> = Promise.resolve()

  socket.on(
    'msg',
    guarded('a message', (to: unknown, data: unknown) => {
      forward(socket, to, data, refuse)
    }),
  )
  // The meeting's END: from a host, as its own, it closes the meeting on every node; any other END is
  // relayed as a message (its receivers refuse it); anything else sent as an END is refused here.
  socket.on(
    'end',
    guarded('an END', (data: unknown) => {
      if (!checkText(data, refuse)) return
      const end = readFields((fail) => readEndCommand(data, fail))
      if (!end.ok) return void refuse('INVALID_MESSAGE', `end(text) carries an END: ${end.reason}`)
      const own = parsePeerId(socket.data.address)?.sessionId
      const closes =
        socket.data.member.role === 'host' && end.value.session === own && end.value.origin === own
      if (!closes) return void forward(socket, null, data, refuse)
      ending = ending.then(() =>
        closeMeeting(relay, socket, data).catch((error: unknown) => {
          log.error({ event: 'relay.end-failed', err: error }, 'relay could not close a meeting')
        }),
      )
    }),
  )
  socket.on(
    'flush',
    guarded('a flush', (ack: unknown) => {
      if (typeof ack === 'function') void ending.then(() => ack())
    }),
  )
  socket.on(
    'media',
    guarded('a media change', (media: unknown) => {
      const { mic, webcam } = (typeof media === 'object' && media !== null ? media : {}) as Record<
        string,
        unknown
      >
      if (typeof mic !== 'boolean' || typeof webcam !== 'boolean') {
        return void refuse('INVALID_MESSAGE', 'media is { mic: boolean, webcam: boolean }')
      }
      // Kept for those who join later; the others hear the change in the session's own MEDIA message.
      socket.data.member = { ...socket.data.member, media: { mic, webcam } }
      const { address, meetingKey } = socket.data
      state.setMedia(meetingKey, { address, sid: socket.id }, { mic, webcam }).catch((error: unknown) => {
        log.error({ event: 'relay.state-failed', err: error }, 'relay could not record a media change')
      })
    }),
  )
  // One read at a time per socket: asking again while one is on its way costs nothing more.
  let welcoming = false
  socket.on(
    'resend-welcome',
    guarded('a request for a welcome', () => {
      if (welcoming) return
      welcoming = true
      sendWelcome(relay, socket, { full: true })
        .catch((error: unknown) => {
          log.error({ event: 'relay.welcome-failed', err: error }, 'relay could not send a welcome again')
          refuse('INTERNAL_ERROR', 'the relay could not read the meeting; ask again')
        })
        .finally(() => {
          welcoming = false
        })
    }),
  )
  // Presence (`welcome`, `peers-joined`, `peers-left`) comes only from the server: a client has no say in it.
  socket.onAny((event: unknown) => {
    if (CLIENT_EVENTS.has(event)) return
    log.warn(
      { event: 'relay.refused-event', address: socket.data.address, name: String(event).slice(0, 40) },
      'relay refused an event',
    )
    refuse(
      'INVALID_MESSAGE',
      'a client sends only msg(to | null, text), end(text), media, flush and resend-welcome; presence comes from the server',
    )
  })
}

function checkText(
  data: unknown,
  refuse: (code: RelayError['code'], error: string) => false,
): data is string {
  if (typeof data !== 'string') return refuse('INVALID_MESSAGE', 'a message is msg(to | null, text)')
  if (data.length > RELAY_MAX_MESSAGE_CHARS) {
    return refuse('MESSAGE_TOO_LARGE', `a message is at most ${RELAY_MAX_MESSAGE_CHARS} characters`)
  }
  return true
}

/** Relays one message with the server's stamp of who sent it; refuses anything malformed (false). */
function forward(
  socket: RelaySocket,
  to: unknown,
  data: unknown,
  refuse: (code: RelayError['code'], error: string) => false,
): boolean {
  if (!checkText(data, refuse)) return false
  const { address, meetingKey } = socket.data
  const message = { from: address, data }
  if (to === null || to === undefined) {
    socket.to(meetingRoom(meetingKey)).emit('msg', message)
    return true
  }
  if (typeof to !== 'string' || meetingKeyOfPeerId(to) !== meetingKey) {
    return refuse('INVALID_ADDRESS', '`to` must be the address of a session in the same meeting')
  }
  socket.to(addressRoom(to)).emit('msg', message)
  return true
}
