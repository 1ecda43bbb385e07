import { MAX_PRESENCE_PEERS, meetingKey, parsePeerId, signallingPresence } from '@convene/core/wire'
import type { Logger } from 'pino'

/** A PeerServer client as presence needs it: its peer id and its current WebSocket. */
export interface PresenceClient {
  getId(): string
  getSocket(): { readonly readyState: number; send(data: string): void } | null
}

/** What PeerServer reports of its clients, fed to presence by `watchPeers`. */
export interface MeetingPresence {
  /** A client registered, or took its id over on a new socket. */
  registered(client: PresenceClient): void
  /** A client's socket closed (or PeerServer found it dead). */
  closed(client: PresenceClient): void
  /** A client sent LEAVE without `dst`: its session is over, though its socket may close only later. */
  left(client: PresenceClient): void
  /**
   * The clients listed in `client`'s meeting (itself among them), by peer id; `undefined` unless
   * `client` is the one listed under its id (a Convene peer id, registered, not left).
   */
  meetingOf(client: PresenceClient): ReadonlyMap<string, PresenceClient> | undefined
  /** Whether any client of the meeting with this key is listed. */
  hasMeeting(key: string): boolean
}

/** ws's `WebSocket.OPEN`. */
const OPEN = 1

/**
 * Sends `text` to `client` if its socket is open; never throws: a socket may be closing already (its
 * close event not handled yet), and one bad socket must not keep the others from hearing the news.
 * Returns whether it was handed to the socket.
 */
export function sendQuietly(client: PresenceClient, text: string, log: Logger): boolean {
  try {
    const socket = client.getSocket()
    if (socket?.readyState !== OPEN) return false
    socket.send(text)
    return true
  } catch (error) {
    log.debug(
      { event: 'signalling.send-failed', peerId: client.getId(), error: String(error) },
      'signalling message not sent',
    )
    return false
  }
}

/**
 * Tells every session of a meeting which sessions of that meeting hold an open signalling connection
 * (`signallingPresence` of `@convene/core/wire`): the whole list, to each of them, whenever one
 * registers, closes or leaves, and to a newcomer (or a client back on a new socket) on registering.
 * Only Convene peer ids are listed, each in its own meeting only; with auth, PeerServer only ever sees
 * clients whose proof was verified, so those are the only ones here.
 *
 * `maxPeers` is the largest meeting listed (see `MAX_PRESENCE_PEERS`); a larger one is told `null`.
 */
export function createMeetingPresence(log: Logger, maxPeers = MAX_PRESENCE_PEERS): MeetingPresence {
  /** Meeting key → peer id → its client, in registration order. */
  const meetings = new Map<string, Map<string, PresenceClient>>()
  const meetingOf = (peerId: string): string | null => {
    const identity = parsePeerId(peerId)
    return identity === null ? null : meetingKey(identity.meetingId)
  }
  const message = (meeting: Map<string, PresenceClient>) => {
    const peers = meeting.size > maxPeers ? null : [...meeting.keys()]
    return JSON.stringify(signallingPresence(peers))
  }
  const send = (client: PresenceClient, text: string) => sendQuietly(client, text, log)
  const tellAll = (meeting: Map<string, PresenceClient>) => {
    const text = message(meeting)
    for (const client of meeting.values()) send(client, text)
  }
  const remove = (client: PresenceClient) => {
    const peerId = client.getId()
    const key = meetingOf(peerId)
    const meeting = key === null ? undefined : meetings.get(key)
    // Only the client listed: a late report about a socket this id has since replaced changes nothing.
    if (key === null || meeting?.get(peerId) !== client) return
    meeting.delete(peerId)
    if (meeting.size === 0) meetings.delete(key)
    else tellAll(meeting)
  }
  return {
    registered(client) {
      const peerId = client.getId()
      const key = meetingOf(peerId)
      if (key === null) return
      let meeting = meetings.get(key)
      if (!meeting) {
        meeting = new Map()
        meetings.set(key, meeting)
      }
      const known = meeting.get(peerId) === client
      meeting.set(peerId, client)
      // The same client on a new socket: the others' lists did not change, only it missed news.
      if (known) send(client, message(meeting))
      else tellAll(meeting)
    },
    closed: remove,
    left: remove,
    meetingOf(client) {
      const key = meetingOf(client.getId())
      const meeting = key === null ? undefined : meetings.get(key)
      return meeting?.get(client.getId()) === client ? meeting : undefined
    },
    hasMeeting: (key) => meetings.has(key),
  }
}
