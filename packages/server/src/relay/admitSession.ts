import type { RelayGone, RelayLeaveReason, RelayMember } from '@convene/core/wire'
import { isClosedByEnd } from './closeMeeting.js'
import { serveInbound } from './relayInbound.js'
import { addressRoom, meetingRoom, type Relay, type RelaySocket } from './relayTypes.js'
import { sendWelcome } from './welcome.js'

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
  serveInbound(relay, socket)
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
  const peers = await sendWelcome(relay, socket)
  if (peers === null) return
  if (back) relay.reintroduce(meetingKey, me)
  else relay.introduce(meetingKey, me)
  log.info({ event: 'relay.joined', address, peers }, 'relay session joined')
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
