import type { MeetingSnapshot, Participant } from '@convene/core'
import { useCallback } from 'react'
import { useMeetingFromContext } from './MeetingContext.js'
import { useMeetingSelector } from './useMeetingSelector.js'

/** `useParticipant`'s result. */
export interface UseParticipantResult {
  /** The participant, or `undefined` when nobody with this id is in the room (yet, or any more). */
  participant: Participant | undefined
  /** Whether `id` is the local participant. */
  isLocal: boolean
  /** Their media stream (a `MediaStream` in browsers) when the transport carries media; otherwise `null`. */
  stream: unknown
  /** Their display name, or `undefined` with the participant. */
  displayName: string | undefined
}

/**
 * One participant of the meeting of the nearest `<MeetingProvider>`, local or remote. Re-renders only
 * when that participant (or their stream) changed, not for the rest of the roster.
 */
export function useParticipant(participantId: string): UseParticipantResult {
  useMeetingFromContext('useParticipant')
  const participant = useMeetingSelector(
    useCallback((snapshot: MeetingSnapshot) => findParticipant(snapshot, participantId), [participantId]),
  )
  const isLocal = useMeetingSelector(
    useCallback(
      (snapshot: MeetingSnapshot) => snapshot.localParticipant.id === participantId,
      [participantId],
    ),
  )
  const stream = useMeetingSelector(
    useCallback(
      (snapshot: MeetingSnapshot) =>
        // Core keeps the local camera on the snapshot, remote streams on each participant.
        snapshot.localParticipant.id === participantId
          ? (snapshot.localStream ?? snapshot.localParticipant.stream ?? null)
          : (snapshot.participants.get(participantId)?.stream ?? null),
      [participantId],
    ),
  )
  return { participant, isLocal, stream, displayName: participant?.name }
}

function findParticipant(snapshot: MeetingSnapshot, participantId: string): Participant | undefined {
  if (snapshot.localParticipant.id === participantId) return snapshot.localParticipant
  return snapshot.participants.get(participantId)
}
