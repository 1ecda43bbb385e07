import type { TransportEvent } from '@convene/core'
import type { MediaConnection, Peer } from 'peerjs'
import type { Subscription } from 'rxjs'
import { callStreams } from './callStreams.js'
import { applyOff, replaceVideo, type WantedMedia } from './localTracks.js'
import type { MediaRequest } from './options.js'

/**
 * Media over PeerJS calls (remote media is received even without local media). Every participant with local media calls every linked peer, and answers
 * calls without a stream, so each call carries one direction: the pair needs no negotiation about who
 * calls, and a participant without a camera still receives the others.
 *
 * Tracks acquired here with `getUserMedia` are stopped on close (the camera light goes off); tracks of
 * an app-provided `MediaStream` belong to the app and are left running.
 */
export class MediaCalls {
  private localStream: MediaStream | null = null
  private owned = false
  private closed = false
  private readonly outgoing = new Map<string, MediaConnection>()
  private readonly incoming = new Map<string, MediaConnection>()
  /** Each call's `callStreams`: unsubscribing hangs the call up. */
  private readonly watching = new Map<MediaConnection, Subscription>()
  /** Peers core has admitted. Only they get our stream: a link alone proves nothing about who is there. */
  private readonly admitted = new Set<string>()
  /** What the app wants sent; applied to the stream as soon as there is one. */
  private wanted: WantedMedia = { mic: true, webcam: true }

  constructor(
    /** `null` until the signalling credential is signed and the peer exists. */
    private readonly peer: () => Peer | null,
    private readonly source: MediaRequest | MediaStream | null,
    private readonly emit: (event: TransportEvent) => void,
    private readonly linkedPeers: () => string[],
  ) {}

  /** Acquires the local stream (or takes the app's), then calls every linked peer. */
  async start(): Promise<void> {
    if (this.source === null) return
    let stream: MediaStream
    if ('getTracks' in this.source) {
      stream = this.source
    } else {
      try {
        const devices = (globalThis.navigator as Navigator | undefined)?.mediaDevices
        if (!devices) throw new Error('navigator.mediaDevices is not available here')
        stream = await devices.getUserMedia({ audio: this.source.audio, video: this.source.video })
      } catch (error) {
        // No camera or no permission: the meeting still works, just without sending media.
        this.emit({ type: 'error', error, fatal: false })
        return
      }
      if (this.closed) {
        // The session ended while the browser was asking for permission.
        for (const track of stream.getTracks()) track.stop()
        return
      }
      this.owned = true
    }
    this.localStream = stream
    // Turned off before the device answered: applied before anyone is called.
    if (!this.wanted.mic || !this.wanted.webcam) applyOff(stream, this.wanted, this.owned)
    this.emit({ type: 'local-media', stream })
    for (const remote of this.linkedPeers()) this.call(remote)
  }

  /**
   * The app turned its microphone or camera on or off. Off: see `applyOff` (the camera light goes off),
   * and every call stops sending video. On again: the camera is opened anew and put on every call.
   */
  async setLocal(wanted: WantedMedia): Promise<void> {
    this.wanted = wanted
    const stream = this.localStream
    if (!stream || this.closed) return
    if (applyOff(stream, wanted, this.owned).length > 0) await replaceVideo(this.outgoing, null)
    const request = this.source !== null && !('getTracks' in this.source) ? this.source.video : false
    if (!wanted.webcam || !this.owned || !request || stream.getVideoTracks().length > 0) return
    const opened = await globalThis.navigator.mediaDevices.getUserMedia({ video: request })
    const [track] = opened.getVideoTracks()
    if (!track) return
    // Turned off again, or the session ended, while the browser was opening the camera.
    if (this.closed || !this.wanted.webcam || this.localStream !== stream || stream.getVideoTracks().length) {
      track.stop()
      return
    }
    stream.addTrack(track)
    for (const remote of await replaceVideo(this.outgoing, track)) {
      this.endOutgoing(remote)
      this.call(remote)
    }
  }

  /** A data link came up: send our media to that peer, once core has admitted it. */
  linkUp(remote: string): void {
    if (this.localStream) this.call(remote)
  }

  /** Core admitted the peer on this link (its hello, and token if any, checked): call it if linked. */
  admit(remote: string): void {
    this.admitted.add(remote)
    if (this.localStream && this.linkedPeers().includes(remote)) this.call(remote)
  }

  /** The peer was refused or closed for good: no call to it again. */
  forget(remote: string): void {
    this.admitted.delete(remote)
    this.endOutgoing(remote)
    this.endIncoming(remote)
  }

  /** A data link went down: its calls are over too (a new link calls again). */
  linkDown(remote: string): void {
    this.endOutgoing(remote)
    this.endIncoming(remote)
  }

  /** After a signalling reconnect, place the calls that could not be placed while it was down. */
  retry(): void {
    if (!this.localStream) return
    for (const remote of this.linkedPeers()) if (!this.outgoing.has(remote)) this.call(remote)
  }

  answer(call: MediaConnection): void {
    if (this.closed) {
      // Released on leaving while the data links deliver the goodbye: no new calls.
      call.close()
      return
    }
    const remote = call.peer
    this.endIncoming(remote)
    this.incoming.set(remote, call)
    const watch = callStreams(call).subscribe({
      next: (stream) => this.emit({ type: 'media', linkId: remote, stream }),
      complete: () => {
        if (this.incoming.get(remote) === call) this.endIncoming(remote)
      },
    })
    this.watching.set(call, watch)
    call.answer()
  }

  /** Stops our own tracks at once (the camera light goes off) and places no call from now on. */
  stopLocal(): void {
    this.closed = true
    if (this.owned) for (const track of this.localStream?.getTracks() ?? []) track.stop()
  }

  /** Ends every call and stops our own tracks; also when core releases local media before the session closes. */
  closeAll(): void {
    this.closed = true
    for (const call of [...this.outgoing.values(), ...this.incoming.values()]) this.hangUp(call)
    this.outgoing.clear()
    this.incoming.clear()
    if (this.owned) for (const track of this.localStream?.getTracks() ?? []) track.stop()
    this.localStream = null
  }

  private call(remote: string): void {
    if (this.outgoing.has(remote) || !this.localStream || !this.admitted.has(remote)) return
    // undefined while signalling is down; retry() places it after the reconnect.
    const call = this.peer()?.call(remote, this.localStream) as MediaConnection | undefined
    if (!call) return
    this.outgoing.set(remote, call)
    const watch = callStreams(call).subscribe({
      complete: () => {
        if (this.outgoing.get(remote) === call) this.outgoing.delete(remote)
        this.watching.delete(call)
      },
    })
    this.watching.set(call, watch)
  }

  private endOutgoing(remote: string): void {
    const call = this.outgoing.get(remote)
    if (!call) return
    this.outgoing.delete(remote)
    this.hangUp(call)
  }

  private endIncoming(remote: string): void {
    const call = this.incoming.get(remote)
    if (!call) return
    this.incoming.delete(remote)
    this.hangUp(call)
    this.emit({ type: 'media', linkId: remote, stream: null })
  }

  private hangUp(call: MediaConnection): void {
    const watch = this.watching.get(call)
    this.watching.delete(call)
    if (watch) watch.unsubscribe()
    else call.close()
  }
}
