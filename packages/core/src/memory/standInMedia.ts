/** A stand-in local track: what a memory session reports as its camera or microphone. */
export interface MemoryMediaTrack {
  readonly kind: 'audio' | 'video'
  /** `'live'` until the session releases its local media or closes, then `'ended'` (as a `MediaStreamTrack`). */
  readonly readyState: 'live' | 'ended'
  stop(): void
}

/** A stand-in local stream with `getTracks()`, so code written for a `MediaStream` can read it. */
export interface MemoryMediaStream {
  readonly id: string
  getTracks(): MemoryMediaTrack[]
}

function track(kind: 'audio' | 'video'): MemoryMediaTrack {
  let readyState: 'live' | 'ended' = 'live'
  return {
    kind,
    get readyState() {
      return readyState
    },
    stop() {
      readyState = 'ended'
    },
  }
}

export function createStandInStream(id: string): MemoryMediaStream {
  const tracks = [track('audio'), track('video')]
  return { id, getTracks: () => [...tracks] }
}

export function stopStream(stream: MemoryMediaStream | null): void {
  for (const t of stream?.getTracks() ?? []) t.stop()
}
