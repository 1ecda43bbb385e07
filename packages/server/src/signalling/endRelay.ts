import type { ParticipantRole } from '@convene/core'
import { meetingKeyOfPeerId, parsePeerId, readSignallingEnd, signallingEnded } from '@convene/core/wire'
import type { Logger } from 'pino'
import { type MeetingPresence, type PresenceClient, sendQuietly } from './meetingPresence.js'

/** Passes a host's END, sent over its signalling socket, on to the other sessions of its meeting. */
export interface EndRelay {
  /** A `CONVENE-END` message from `client` (PeerServer's client, whose id PeerServer vouches for). */
  received(client: PresenceClient, message: unknown): void
  /** `client`'s socket closed or it left: once its meeting has nobody left, its ENDs are forgotten. */
  gone(client: PresenceClient): void
}

/**
 * A data link can carry nothing for seconds while the signalling socket stays healthy (see
 * `signallingEnd` of `@convene/core/wire`): the server passes a session's own END on to every other
 * session listed in its meeting (`MeetingPresence`), as `CONVENE-ENDED` with the sender's peer id.
 *
 * Passed on only when the sender is listed, the END is its own (`session` and `origin` its session
 * id), and, when `roleOf` is given (signalling auth: each socket's token was verified), the sender's
 * token is a host's. Without signalling auth, roles are the clients' own word and each receiver's core
 * judges the END as it judges one on a data link. At most one END per session is passed on (an END is
 * terminal), so nobody can use the server to multiply messages; the sessions that did end are
 * remembered while their meeting has anyone listed. Anything else is dropped and logged at debug; nothing
 * is ever sent back.
 */
export function createEndRelay(
  presence: MeetingPresence,
  roleOf: ((socket: object | null) => ParticipantRole | null) | null,
  log: Logger,
): EndRelay {
  /** Meeting key → the peer ids whose END was passed on. */
  const ended = new Map<string, Set<string>>()
  const refuse = (peerId: string, reason: string) =>
    log.debug({ event: 'end.refused', peerId, ...parsePeerId(peerId), reason }, `END not relayed: ${reason}`)
  return {
    received(client, message) {
      const peerId = client.getId()
      const meeting = presence.meetingOf(client)
      const key = meetingKeyOfPeerId(peerId)
      if (meeting === undefined || key === null)
        return refuse(peerId, 'the sender is not listed in a meeting')
      const read = readSignallingEnd(message, peerId)
      if (!read.ok) return refuse(peerId, read.reason)
      if (roleOf && roleOf(client.getSocket()) !== 'host') {
        return refuse(peerId, "the sender's verified token is not a host's")
      }
      const done = ended.get(key) ?? new Set<string>()
      if (done.has(peerId)) return refuse(peerId, 'this session ended its meeting already')
      ended.set(key, done.add(peerId))
      const text = JSON.stringify(signallingEnded(peerId, read.value.text))
      let told = 0
      for (const [id, other] of meeting) if (id !== peerId && sendQuietly(other, text, log)) told += 1
      log.info({ event: 'end.relayed', peerId, ...parsePeerId(peerId), told }, 'END relayed')
    },
    gone(client) {
      const key = meetingKeyOfPeerId(client.getId())
      if (key !== null && !presence.hasMeeting(key)) ended.delete(key)
    },
  }
}
