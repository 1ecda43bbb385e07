/** A stand-in local track: what a memory session reports as its camera or microphone. */
export interface MemoryMediaTrack {
  /** `'audio'` for the microphone, `'video'` for the camera. */
  readonly kind: 'audio' | 'video'
  /** `'live'` until the session releases its local media or closes, then `'ended'` (as a `MediaStreamTrack`). */
  readonly readyState: 'live' | 'ended'
  /** `false` while the microphone is muted (as a `MediaStreamTrack`'s `enabled`: it sends silence). */
  enabled: boolean
  /** Ends the track: `readyState` becomes `'ended'`. */
  stop(): void
}

/** A stand-in local stream with `getTracks()`, so code written for a `MediaStream` can read it. */
export interface MemoryMediaStream {
  /** The stream's id. */
  readonly id: string
  /** Its tracks now: the microphone's, and the camera's while the camera is on. */
  getTracks(): MemoryMediaTrack[]
}

function track(kind: 'audio' | 'video'): MemoryMediaTrack {
  let readyState: 'live' | 'ended' = 'live'
  return {
    kind,
    enabled: true,
    get readyState() {
      return readyState
    },
    stop() {
      readyState = 'ended'
    },
  }
}

/** A stand-in stream whose tracks follow `setLocalMedia` as a browser transport's would. */
export interface StandInStream extends MemoryMediaStream {
  /** Microphone off: its track stays, disabled. Camera off: its track is stopped and dropped (light off). */
  setLocalMedia(media: { mic: boolean; webcam: boolean }): void
}

export function createStandInStream(id: string): StandInStream {
  let tracks = [track('audio'), track('video')]
  return {
    id,
    getTracks: () => [...tracks],
    setLocalMedia({ mic, webcam }) {
      for (const t of tracks) if (t.kind === 'audio') t.enabled = mic
      const video = tracks.find((t) => t.kind === 'video')
      if (!webcam && video) {
        video.stop()
        tracks = tracks.filter((t) => t !== video)
      } else if (webcam && !video && tracks.some((t) => t.readyState === 'live')) {
        tracks = [...tracks, track('video')]
      }
    },
  }
}

export function stopStream(stream: MemoryMediaStream | null): void {
  for (const t of stream?.getTracks() ?? []) t.stop()
}
