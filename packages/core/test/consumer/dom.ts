// A browser app (lib DOM): a participant's stream is the DOM's MediaStream, no cast needed.
import type { MeetingMediaStream, MeetingSnapshot, Participant } from '@convene/core'
import { useMeeting, useParticipant } from '@convene/react'
import type { Equal } from './equal.js'

export const streamIsDom: Equal<Participant['stream'], MediaStream | null> = true
export const localIsDom: Equal<MeetingSnapshot['localStream'], MediaStream | null> = true
export const aliasIsDom: Equal<MeetingMediaStream, MediaStream> = true

export function Tile({ id, video }: { id: string; video: HTMLVideoElement }) {
  const { stream } = useParticipant(id)
  video.srcObject = stream
  video.srcObject = useMeeting().localStream
  return stream?.getVideoTracks().length ?? 0
}
