import type { WireMessage } from '@convene/core'
import { readSignallingEnded, signallingEnd } from '@convene/core/wire'
import type { Peer as PeerInstance } from 'peerjs'
import { filter, map, type Observable } from 'rxjs'
import { fromEmitter } from './fromEmitter.js'
import type { SignallingEvent } from './signallingEvent.js'
import { decode } from './wireText.js'

/**
 * A host's END, also through the signalling server (`signallingEnd` of `@convene/core/wire`): a data
 * link may carry nothing for many seconds (a starved browser's WebRTC threads) while the PeerServer
 * socket, over TCP, stays healthy. `@convene/server` passes the END on to every other session of the
 * meeting, checked (the sender's own, and with signalling auth, a host's), and each takes it as if it
 * had come on the host's own data link: core's checks and its once-only handling of an END apply as to
 * any copy.
 */

/** Sends this session's own END to the server once: core resends it on the links, the server need not. */
export class OwnEnd {
  private told = false

  constructor(
    private readonly sessionId: string,
    /** The PeerServer socket while it is open (PeerJS drops what is sent on a closed one), else `null`. */
    private readonly socket: () => { send(data: object): void } | null,
  ) {}

  /** Core sent `message` (as the JSON text `data`): if it is this session's own END, the server gets it too. */
  sent(message: WireMessage, data: string): void {
    if (this.told || message.type !== 'end') return
    if (message.session !== this.sessionId || message.origin !== this.sessionId) return
    const socket = this.socket()
    if (socket === null) return // Not told yet: the next resend tries again.
    try {
      socket.send(signallingEnd(data))
      this.told = true
    } catch {
      // The socket is closing: the next resend tries again, on the next socket.
    }
  }
}

type Ended = NonNullable<ReturnType<typeof readSignallingEnded>>

/**
 * The ENDs the server passes on from other sessions of `meetingId`, each as a message on the link to
 * its sender (its peer id is that link's id), the first from each sender only. A malformed one, or
 * one of another meeting, is dropped whole.
 */
export function endsFromServer(
  peer: PeerInstance,
  meetingId: string,
  localId: string,
): Observable<SignallingEvent> {
  const heard = new Set<string>()
  return fromEmitter<unknown>(peer.socket, 'message').pipe(
    map((message) => readSignallingEnded(message, meetingId)),
    filter((ended): ended is Ended => ended !== undefined && ended.src !== localId && !heard.has(ended.src)),
    map((ended): SignallingEvent => {
      heard.add(ended.src)
      return { type: 'ended', remote: ended.src, data: decode(ended.text) }
    }),
  )
}
