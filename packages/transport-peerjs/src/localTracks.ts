import type { MediaConnection } from 'peerjs'

/** Which local tracks the app wants sent (core's `setLocalMedia`). */
export interface WantedMedia {
  mic: boolean
  webcam: boolean
}

/**
 * Puts `track` (or nothing) on the video sender of each call. A call placed while the camera was off
 * has no video line to put it on: it is listed, for the caller to place again with the camera in it.
 */
export async function replaceVideo(
  calls: Iterable<[string, MediaConnection]>,
  track: MediaStreamTrack | null,
): Promise<string[]> {
  const renegotiate: string[] = []
  const replacing: Promise<void>[] = []
  for (const [remote, call] of calls) {
    const transceivers = call.peerConnection?.getTransceivers?.() ?? []
    const video = transceivers.find(
      (t) => t.receiver.track?.kind === 'video' && t.currentDirection !== 'stopped',
    )
    if (video) replacing.push(video.sender.replaceTrack(track))
    else if (track) renegotiate.push(remote)
  }
  await Promise.all(replacing)
  return renegotiate
}

/**
 * The microphone is muted by disabling its tracks (silence; the device stays open, as in VideoSDK and
 * LiveKit). A camera this transport opened is stopped and dropped from the stream, so its light goes
 * off; a camera the app provided is only disabled (black frames), since its tracks are the app's.
 * Returns the camera tracks stopped.
 */
export function applyOff(stream: MediaStream, wanted: WantedMedia, owned: boolean): MediaStreamTrack[] {
  for (const track of stream.getAudioTracks()) track.enabled = wanted.mic
  const video = stream.getVideoTracks()
  if (!owned) {
    for (const track of video) track.enabled = wanted.webcam
    return []
  }
  if (wanted.webcam) return []
  for (const track of video) {
    track.stop()
    stream.removeTrack(track)
  }
  return video
}
