import type { RelayEnded } from '@convene/core/wire'
import { meetingRoom, type Relay, type RelaySocket } from './relayTypes.js'

/** The room a meeting's sessions are put in, on every node, as the relay closes it after a host's END. */
const closingRoom = (meetingKey: string) => `e:${meetingKey}`

/**
 * A host's END of its meeting: the relay closes the meeting, on every node. The END is remembered first
 * (a session away as it goes out, that comes back on a fresh connection, finds it in its welcome).
 * Then every session, the host's too, is put in the closing room, sent the END and disconnected: three
 * operations the cluster adapter applies in order on every node, so a session gets the END and its
 * disconnection together, or neither (it connected after: its welcome, read after the END was
 * remembered, carries it). Its departure is `left`, told only to whoever is still in the room: nobody,
 * but a session that joined after the END. Left to go one by one, each of N sessions would close its
 * own connection and its departure would reach every session still there: O(N²) presence work across
 * the meeting while it ends.
 */
export async function closeMeeting(relay: Relay, host: RelaySocket, data: string): Promise<void> {
  const { meetingKey, address } = host.data
  const end: RelayEnded = { address, sid: host.id, data }
  await relay.config.state.ended(meetingKey, end).catch((error: unknown) => {
    // Not remembered: a session that comes back fresh within the minute is not told. The END still goes out.
    relay.config.log.error({ event: 'relay.state-failed', err: error }, 'relay could not remember an END')
  })
  relay.io.in(meetingRoom(meetingKey)).socketsJoin(closingRoom(meetingKey))
  relay.io.to(closingRoom(meetingKey)).except(host.id).emit('msg', { from: address, data })
  relay.io.in(closingRoom(meetingKey)).disconnectSockets(true)
}

/** In its `disconnecting` (it is still in its rooms then): whether the relay is closing `socket`'s meeting. */
export const isClosedByEnd = (socket: RelaySocket): boolean =>
  socket.rooms.has(closingRoom(socket.data.meetingKey))
