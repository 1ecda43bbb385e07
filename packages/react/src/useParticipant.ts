import type { MeetingMediaStream, MeetingSnapshot, Participant } from '@convene/core'
import { useCallback } from 'react'
import { useMeetingFromContext } from './MeetingContext.js'
import { useMeetingSelector } from './useMeetingSelector.js'

/** `useParticipant`'s result. */
export interface UseParticipantResult {
  /** The participant, or `undefined` when nobody with this id is in the room (yet, or any more). */
  participant: Participant | undefined
  /** Whether `participantId` is the local participant. */
  isLocal: boolean
  /**
   * Their media stream when the transport carries media, otherwise `null`: a `MediaStream` wherever the
   * DOM lib is loaded, ready for `<video>.srcObject` without a cast.
   */
  stream: MeetingMediaStream | null
  /** Their display name; `undefined` without a participant. */
  displayName: string | undefined
  /** Whether their microphone is on (VideoSDK's `micOn`); `false` without a participant. */
  micOn: boolean
  /** Whether their camera is on (VideoSDK's `webcamOn`); `false` without a participant. */
  webcamOn: boolean
}

type ParticipantView = Omit<UseParticipantResult, 'displayName' | 'micOn' | 'webcamOn'>

/**
 * One participant of the meeting of the nearest `<MeetingProvider>`, local or remote. Re-renders only
 * when that participant (their stream, `micOn` or `webcamOn`) changed, not for the rest of the roster.
 */
export function useParticipant(participantId: string): UseParticipantResult {
  useMeetingFromContext('useParticipant')
  const view = useMeetingSelector(
    useCallback((snapshot: MeetingSnapshot) => selectParticipant(snapshot, participantId), [participantId]),
    sameView,
  )
  return {
    ...view,
    displayName: view.participant?.name,
    micOn: view.participant?.micOn ?? false,
    webcamOn: view.participant?.webcamOn ?? false,
  }
}

function selectParticipant(snapshot: MeetingSnapshot, participantId: string): ParticipantView {
  const local = snapshot.localParticipant
  if (local.id === participantId) {
    // Core keeps the local camera on the snapshot, remote streams on each participant.
    return { participant: local, isLocal: true, stream: snapshot.localStream ?? local.stream ?? null }
  }
  const participant = snapshot.participants.get(participantId)
  return { participant, isLocal: false, stream: participant?.stream ?? null }
}

function sameView(a: ParticipantView, b: ParticipantView): boolean {
  return a.participant === b.participant && a.isLocal === b.isLocal && a.stream === b.stream
}
