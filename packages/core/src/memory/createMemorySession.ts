import type { WireMessage } from '../protocol.js'
import type {
  LinkId,
  Observer,
  TransportEvent,
  TransportSession,
  TransportSessionOptions,
} from '../transport.js'
import type { MemoryFabric } from './MemoryFabric.js'
import type { SessionRecord } from './sessionRecord.js'
import { createStandInStream, type StandInStream, stopStream } from './standInMedia.js'
import { validateSessionOptions } from './validateOptions.js'

/**
 * One participant's session on a memory network. Nothing happens until `events` is subscribed; each
 * session id opens once per network, so subscribing again (even after closing) gets a fatal `error` event.
 */
export function createMemorySession(
  fabric: MemoryFabric,
  options: TransportSessionOptions,
  localMedia: boolean,
): TransportSession {
  // Copied and checked now: a caller mutating its options object later must not move the session.
  const identity = validateSessionOptions(options)
  let current: SessionRecord | null = null
  let stream: StandInStream | null = null
  return {
    // Links are named by session id, and the fabric opens each session id once: it cannot be borrowed.
    address: identity.sessionId,
    events: {
      subscribe(observer: Observer<TransportEvent>) {
        // RxJS-style callers sometimes pass a bare `next` function.
        const normalized: Observer<TransportEvent> =
          typeof observer === 'function' ? { next: observer as (event: TransportEvent) => void } : observer
        const record = fabric.open(identity, normalized)
        if (current === null && record.state !== 'closed') current = record
        if (localMedia && current === record) {
          stream = createStandInStream(`${identity.sessionId}/local`)
          fabric.post(record, { type: 'local-media', stream })
        }
        return {
          unsubscribe: () => {
            if (current === record) stopStream(stream)
            fabric.close(record)
          },
        }
      },
    },
    send(message: WireMessage, to?: LinkId) {
      fabric.send(current, message, to)
    },
    releaseLocalMedia() {
      stopStream(stream)
    },
    setLocalMedia(media) {
      stream?.setLocalMedia(media)
    },
    drain: () => fabric.drain(current),
  }
}
