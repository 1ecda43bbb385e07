import type { Person } from './person.js'
import type { Room } from './room.js'

// What a participant was told, as the scenarios ask it: about one participant, of departures and
// endings, and the check that a departure was told once to everyone.

/** What `person` was told about participant `id` (joins and departures), from index `from` on. */
export function about(person: Person, id: string, from = 0): string[] {
  return person.told
    .slice(from)
    .filter((e) => e === `participant-joined:${id}` || e.startsWith(`participant-left:${id}:`))
}

/** What `person` was told of departures and endings (the events a storm or a double would show in). */
export function goings(person: Person, from = 0): string[] {
  return person.told
    .slice(from)
    .filter((e) => e.startsWith('participant-left:') || e.startsWith('meeting-left:'))
}

/** The others hear `id` went, with `reason`, exactly once, and nothing else about anyone. */
export async function departedOnce(room: Room, others: readonly Person[], id: string, reason: string) {
  await room.until(`${others.map((p) => p.id).join(', ')} hear ${id} ${reason}`, () =>
    others.every((p) => p.told.includes(`participant-left:${id}:${reason}`)),
  )
  await room.quiet()
  for (const p of others) room.same(goings(p), [`participant-left:${id}:${reason}`], p.id)
  await room.converged(others)
}
