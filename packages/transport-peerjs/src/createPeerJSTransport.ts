import type {
  Observer,
  Transport,
  TransportEvent,
  TransportSession,
  TransportSessionOptions,
} from '@convene/core'
import { type PeerJSTransportOptions, resolveTransportOptions } from './options.js'
import { PeerJSSession } from './PeerJSSession.js'

/**
 * A WebRTC full-mesh transport over PeerJS and a `@convene/server` (PeerServer plus room directory).
 * Throws `MeetingError('INVALID_OPTION')` for a bad option.
 *
 * In Node, put `RTCPeerConnection` and friends (from `node-datachannel/polyfill`) and `WebSocket` (from
 * `ws`) on `globalThis` before the first session starts.
 */
export function createPeerJSTransport(options: PeerJSTransportOptions = {}): Transport {
  const resolved = resolveTransportOptions(options)
  return {
    name: 'peerjs',
    session(sessionOptions: TransportSessionOptions): TransportSession {
      let current: PeerJSSession | null = null
      return {
        events: {
          // Cold: each subscription is one session on the network, closed by its unsubscribe.
          subscribe(observer: Observer<TransportEvent>) {
            const session = new PeerJSSession(resolved, sessionOptions, observer)
            current = session
            return {
              unsubscribe() {
                session.close()
                if (current === session) current = null
              },
            }
          },
        },
        send(message, to) {
          current?.send(message, to)
        },
        closeLink(linkId) {
          current?.closeLink(linkId)
        },
        admitLink(linkId) {
          current?.admitLink(linkId)
        },
        drain() {
          return current ? current.drain() : Promise.resolve()
        },
      }
    },
  }
}
