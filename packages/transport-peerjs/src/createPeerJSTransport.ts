import type { Transport, TransportEvent, TransportSession, TransportSessionOptions } from '@convene/core'
import { createPeerId } from '@convene/core/wire'
import { finalize, Observable } from 'rxjs'
import { EndedSessions } from './endedSessions.js'
import { loadPeer } from './loadPeer.js'
import { type PeerJSTransportOptions, resolveTransportOptions } from './options.js'
import { PeerJSSession } from './PeerJSSession.js'

/**
 * A WebRTC full-mesh transport over PeerJS and a `@convene/server` (PeerServer plus room directory).
 * Throws `MeetingError('INVALID_OPTION')` for a bad option.
 *
 * With a token bound to the session's key (core gives `sign`), every connection to the PeerServer
 * carries a signed proof that this session holds that key; a refusal fails the join with
 * `MeetingError('AUTH_FAILED')`.
 *
 * In Node, import it from `@convene/transport-peerjs/node`, which installs WebRTC (node-datachannel)
 * and WebSocket (ws) first. A join the server refuses rejects with `AUTH_FAILED`, one that cannot reach
 * the server with `JOIN_FAILED`; both say why.
 */
export function createPeerJSTransport(options: PeerJSTransportOptions = {}): Transport {
  const resolved = resolveTransportOptions(options)
  // Where WebRTC is already there (a browser, or Node after `/node`), PeerJS starts loading now, alongside
  // the join's key and token, rather than after them (a module fetch: tens of ms in a page).
  if (typeof globalThis.RTCPeerConnection === 'function') loadPeer().catch(() => {})
  // A meeting rejoining at once may find its last session still listed: it must not wait for it.
  const ended = new EndedSessions()
  return {
    name: 'peerjs',
    session(sessionOptions: TransportSessionOptions): TransportSession {
      const { meetingId, participantId, sessionId } = sessionOptions
      const address = createPeerId(meetingId, participantId, sessionId)
      let current: PeerJSSession | null = null
      return {
        // The peer id: what every other session sees as this one's link id. With a signed credential
        // the PeerServer registers it only for the holder of the key its token names.
        address,
        // Cold: each subscription is one session on the network, closed by its unsubscribe.
        events: new Observable<TransportEvent>((subscriber) => {
          const session = new PeerJSSession(address, resolved, sessionOptions, ended)
          current = session
          return session.events
            .pipe(
              finalize(() => {
                ended.add(address)
                if (current === session) current = null
              }),
            )
            .subscribe(subscriber)
        }),
        send(message, to, delivery) {
          current?.send(message, to, delivery)
        },
        closeLink(linkId) {
          current?.closeLink(linkId)
        },
        admitLink(linkId) {
          current?.admitLink(linkId)
        },
        setLocalMedia(media) {
          return current ? current.setLocalMedia(media) : Promise.resolve()
        },
        releaseLocalMedia() {
          current?.releaseLocalMedia()
        },
        drain() {
          return current ? current.drain() : Promise.resolve()
        },
      }
    },
  }
}
