import { parsePeerId, SIGNALLING_END_TYPE } from '@convene/core/wire'
import type { Logger } from 'pino'
import type { RoomDirectory } from '../roomDirectory.js'
import { createEndRelay } from './endRelay.js'
import { createMeetingPresence, type PresenceClient } from './meetingPresence.js'
import { type PingedClient, pingFrames } from './pingFrames.js'
import type { SignallingRoles } from './signallingRoles.js'

type PeerClient = PresenceClient & PingedClient

/** The events of `ExpressPeerServer` that Convene follows. */
interface PeerServerEvents {
  on(event: 'connection' | 'disconnect', listener: (client: PeerClient) => void): unknown
  on(event: 'error', listener: (error: Error) => void): unknown
  on(
    event: 'message',
    listener: (client: PeerClient, message: { type?: unknown; dst?: unknown; payload?: unknown }) => void,
  ): unknown
}

/**
 * Files each peer in the room directory while its signalling connection is open, tells the sessions of
 * each meeting which of them are connected (`meetingPresence.ts`), passes a host's END on to the rest
 * of its meeting (`endRelay.ts`; `roles` are the verified ones under signalling auth, else `null`), and
 * logs each peer registering and leaving (once each: PeerServer may report a departure twice, from the
 * socket's close and from its own liveness check). Each client's socket gets a ping frame every
 * `pingIntervalMs`, whose pong counts as its heartbeat (`pingFrames.ts`).
 */
export function watchPeers(
  peerServer: PeerServerEvents,
  directory: RoomDirectory,
  log: Logger,
  roles: SignallingRoles | null,
  pingIntervalMs: number,
): void {
  const live = new Set<string>()
  const presence = createMeetingPresence(log)
  const ends = createEndRelay(presence, roles ? roles.roleOf : null, log)
  const fields = (peerId: string) => ({ peerId, ...parsePeerId(peerId) })
  peerServer.on('connection', (client) => {
    const peerId = client.getId()
    directory.add(peerId)
    live.add(peerId)
    log.info({ event: 'peer.registered', ...fields(peerId) }, 'peer registered')
    presence.registered(client)
    pingFrames(client, pingIntervalMs)
  })
  peerServer.on('disconnect', (client) => {
    const peerId = client.getId()
    directory.remove(peerId)
    if (live.delete(peerId)) log.info({ event: 'peer.left', ...fields(peerId) }, 'peer left')
    presence.closed(client)
    ends.gone(client)
  })
  // A LEAVE with no `dst` is a peer leaving the PeerServer itself (its session is over; PeerServer
  // unregisters it too): no longer listed from now, not from the close of its socket, which takes a
  // round trip through the leaving app, so a session joining meanwhile would wait for it. Only the
  // sender can be named: PeerServer stamps `src` itself.
  // PeerServer emits every message it parsed, types it does not know too (and relays none of those).
  peerServer.on('message', (client, message) => {
    if (message.type === SIGNALLING_END_TYPE) return ends.received(client, message)
    if (message.type !== 'LEAVE' || message.dst !== undefined) return
    directory.remove(client.getId())
    presence.left(client)
    ends.gone(client)
  })
  // An 'error' event without a listener would throw and take the whole server down. At debug: a client
  // sending garbage (not JSON, `null`) is what raises it, and must not flood the log.
  peerServer.on('error', (error) =>
    log.debug({ event: 'signalling.error', error: error.message }, 'PeerServer reported an error'),
  )
}
