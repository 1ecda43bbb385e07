import type {
  Observer,
  Transport,
  TransportEvent,
  TransportSession,
  TransportSessionOptions,
} from '@convene/core'
import { createPeerId } from '@convene/core/wire'
import {
  type ResolvedSocketIOOptions,
  resolveSocketIOOptions,
  type SocketIOTransportOptions,
} from './options.js'
import { createRelayAuth } from './relayCredential.js'
import { type RelaySocket, relaySession } from './relaySession.js'

/**
 * A server-routed transport: every message goes through `@convene/server`'s Socket.IO relay, to one
 * session or to the whole meeting, and the server stamps who sent it. The server also vouches for who
 * each session is (its token's participant and role, checked once at connect), so joining a meeting
 * of N costs one welcome and one broadcast, with no hellos signed or checked between pairs. One connection per participant
 * whatever the meeting's size, and several server nodes behind one meeting (`url: [a, b]`, the nodes
 * sharing Redis). It carries no media: `setLocalMedia` and `releaseLocalMedia` only tell the others.
 * Throws `MeetingError('INVALID_OPTION')` for a bad option.
 *
 * With a token bound to the session's key (core gives `sign`), every connect carries a signed proof
 * that this session holds that key; a refusal fails the join with `MeetingError('AUTH_FAILED')`, a
 * relay that cannot be reached at any URL with `JOIN_FAILED`.
 */
export function createSocketIOTransport(options: SocketIOTransportOptions): Transport {
  const resolved: ResolvedSocketIOOptions = resolveSocketIOOptions(options)
  return {
    name: 'socketio',
    // The relay sees each session's connection: it says who is gone, and core sends no heartbeats.
    presence: 'transport',
    // The relay checked each session's token and proof when it connected and stamps every message's
    // sender: it introduces each session to the others, and core sends no hellos.
    identity: 'transport',
    session(sessionOptions: TransportSessionOptions): TransportSession {
      const { meetingId, participantId, sessionId } = sessionOptions
      const address = createPeerId(meetingId, participantId, sessionId)
      let socket: RelaySocket | null = null
      // The microphone and camera as last said: presented again at every connect.
      let media = sessionOptions.self?.media
      const auth = createRelayAuth(address, sessionOptions, () => media)
      const events = relaySession(address, resolved, auth, (s) => {
        socket = s
      })
      return {
        // The relay registers this address only for the holder of the key its token names, and stamps
        // it on everything this session sends.
        address,
        events: {
          subscribe: (observer: Observer<TransportEvent>) => events.subscribe(observer),
        },
        send(message, to) {
          let text: string
          try {
            text = JSON.stringify(message)
          } catch {
            return
          }
          if (message.type === 'media' && to === undefined) {
            // The relay keeps it in this session's record, for those who join later.
            media = { mic: message.mic, webcam: message.webcam }
            socket?.emit('media', media)
          }
          // While the socket is down, Socket.IO buffers this and sends it once connected again.
          if (message.type === 'end' && to === undefined) {
            // A host's END: the relay closes the meeting behind it, so the sessions it ends do not each
            // tell all the others of their departure.
            socket?.emit('end', text)
          } else socket?.emit('msg', to ?? null, text)
        },
        async drain() {
          const current = socket
          if (!current?.connected) return
          // The relay acknowledges a flush after everything sent before it: it has left this process.
          await current
            .timeout(resolved.drainTimeoutMs)
            .emitWithAck('flush')
            .catch(() => undefined)
        },
      }
    },
  }
}
