import type { RelayGone } from '@convene/core/wire'

/**
 * How long a node gathers a meeting's departures before it tells them, in one `peers-left`. At `end()`
 * every participant disconnects within moments of the others: told one by one, each departure would
 * reach every socket still there (N²/2 packets); gathered, each window costs one packet per listener.
 * Short enough to add little to `leave()` → told (tens of ms against a 250 ms goal).
 */
export const DEPARTURE_WINDOW_MS = 25

/** Gathers departures per meeting for `windowMs`, then hands each meeting's list to `tell`, in order. */
export function createDepartureBatcher(
  tell: (meetingKey: string, gone: RelayGone[]) => void,
  windowMs = DEPARTURE_WINDOW_MS,
) {
  const pending = new Map<string, RelayGone[]>()
  let timer: ReturnType<typeof setTimeout> | null = null
  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = null
    const batches = [...pending]
    pending.clear()
    for (const [meetingKey, gone] of batches) tell(meetingKey, gone)
  }
  return {
    add(meetingKey: string, departure: RelayGone): void {
      const list = pending.get(meetingKey)
      if (list) list.push(departure)
      else pending.set(meetingKey, [departure])
      if (timer) return
      timer = setTimeout(flush, windowMs)
      timer.unref?.()
    },
    /** Tells whatever is gathered now (a closing node). */
    flush,
  }
}
