import type { MeetingSnapshot } from '@convene/core'
import { useMeetingSelector } from '@convene/react'
import { ParticipantTile } from './ParticipantTile.js'

const sameIds = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((id, i) => id === b[i])
const idsOf = (snapshot: MeetingSnapshot) => [snapshot.localParticipant.id, ...snapshot.participants.keys()]

/** One tile per participant, the local one first; re-renders only when someone arrives or goes. */
export function TileGrid() {
  const ids = useMeetingSelector(idsOf, sameIds)
  return (
    <div className="tiles" data-testid="tiles">
      {ids.map((id) => (
        <ParticipantTile key={id} participantId={id} />
      ))}
    </div>
  )
}
