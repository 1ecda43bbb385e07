import {
  meetingKeyOfPeerId,
  RELAY_MAX_MESSAGE_CHARS,
  type RelayError,
  type RelayGone,
  type RelayLeaveReason,
  type RelayMember,
} from '@convene/core/wire'
import { closeMeeting, isClosedByEnd } from './closeMeeting.js'
import { addressRoom, meetingRoom, type Relay, type RelaySocket } from './relayTypes.js'

/** Socket.IO's disconnect reasons, as a session's peers are told them; `ended`: its meeting was closed. */
function leaveReason(reason: string, ended: boolean): RelayLeaveReason {
  if (reason === 'client namespace disconnect' || ended) return 'left'
  if (reason === 'server namespace disconnect') return 'replaced'
  return 'lost'
}

/** Serves one admitted socket: its messages, media, departure, and its arrival told to the meeting. */
export async function admit(relay: Relay, socket: RelaySocket): Promise<void> {
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
  // The meeting's END: relayed as any message; from a host, the relay then closes the meeting.
  socket.on('end', (data) => {
    try {
      if (forward(socket, null, data) && socket.data.member.role === 'host') closeMeeting(relay, socket)
    } catch (error) {
      log.error({ event: 'relay.forward-failed', err: error }, 'relay could not forward an END')
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
  // Presence (`welcome`, `peers-joined`, `peers-left`) comes only from the server: a client has no say in it.
  socket.onAny((event: unknown) => {
    if (event === 'msg' || event === 'end' || event === 'flush' || event === 'media') return
    log.warn(
      { event: 'relay.refused-event', address, name: String(event).slice(0, 40) },
      'relay refused an event',
    )
    socket.emit('refused', {
      code: 'INVALID_MESSAGE',
      error:
        'a client sends only msg(to | null, text), end(text), media and flush; presence comes from the server',
    })
  })
  let ended = false
  socket.on('disconnecting', () => {
    ended = isClosedByEnd(socket)
  })
  socket.on('disconnect', (reason) => {
    const why = leaveReason(reason, ended)
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
    relay.introduce(meetingKey, me)
    log.info({ event: 'relay.recovered', address }, 'relay session recovered')
    return
  }
  // The newest connection of an address wins, on whichever node the older one is. A cluster adapter
  // applies this after a round trip to Redis, when this socket is in the room too: hence `except`.
  io.in(addressRoom(address)).except(socket.id).disconnectSockets(true)
  socket.join([meetingRoom(meetingKey), addressRoom(address)])
  const back = await state.add(meetingKey, me)
  const { listed, away, recentlyGone } = await relay.read(meetingKey)
  const peers = listed.filter((peer) => peer.address !== address)
  const here = new Set(listed.map((peer) => peer.address))
  const gone = recentlyGone.filter((departure) => !here.has(departure.address))
  if (!socket.connected) return
  // To this socket only, not through the cluster adapter's Redis stream, where every emit is stored
  // for connection-state recovery and read back by every node: a welcome of a meeting of 1,000 is
  // ~200 kB, and a herd of 500 returners would put 100 MB through Redis. Its loss in a drop that is
  // then recovered costs a join its timeout, or a returner the welcome's news (the rest is replayed).
  const welcome = { peers, gone, away: away.filter((peer) => peer.address !== address) }
  io.local.to(socket.id).emit('welcome', welcome)
  if (back) relay.reintroduce(meetingKey, me)
  else relay.introduce(meetingKey, me)
  log.info({ event: 'relay.joined', address, peers: peers.length }, 'relay session joined')
}

/** Relays one message with the server's stamp of who sent it; refuses anything malformed (false). */
function forward(socket: RelaySocket, to: unknown, data: unknown): boolean {
  const refuse = (code: RelayError['code'], error: string): false => {
    socket.emit('refused', { code, error })
    return false
  }
  if (typeof data !== 'string') return refuse('INVALID_MESSAGE', 'a message is msg(to | null, text)')
  if (data.length > RELAY_MAX_MESSAGE_CHARS) {
    return refuse('MESSAGE_TOO_LARGE', `a message is at most ${RELAY_MAX_MESSAGE_CHARS} characters`)
  }
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

/** Tells the meeting, on every node, that a session left it; remembered for sessions away meanwhile. */
export function announce(relay: Relay, meetingKey: string, departure: RelayGone): void {
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
