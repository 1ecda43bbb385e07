import { meetingRoom, type Relay, type RelaySocket } from './relayTypes.js'

/** The room a meeting's sessions are put in, on every node, as the relay closes it after a host's END. */
const closingRoom = (meetingKey: string) => `e:${meetingKey}`

/**
 * A host's END went out to its meeting: the relay closes the meeting, on every node. Each session,
 * the host's too, is disconnected right behind the END (the same socket, in order; the cluster adapter
 * keeps the order from node to node), and its departure is `left`, told only to whoever is still in
 * the room: nobody, but a session that joined after the END. Left to go one by one, each of N sessions
 * would close its own connection and its departure would reach every session still there: O(N²)
 * presence work across the meeting while it ends. The host's goodbye is out once its END is.
 */
export function closeMeeting(relay: Relay, host: RelaySocket): void {
  const everyone = relay.io.in(meetingRoom(host.data.meetingKey))
  everyone.socketsJoin(closingRoom(host.data.meetingKey))
  everyone.disconnectSockets(true)
}

/** In its `disconnecting` (it is still in its rooms then): whether the relay is closing `socket`'s meeting. */
export const isClosedByEnd = (socket: RelaySocket): boolean =>
  socket.rooms.has(closingRoom(socket.data.meetingKey))
