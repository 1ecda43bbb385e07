/**
 * How long a node gathers a meeting's presence changes before it tells them, in one `peers-joined` or
 * `peers-left`. At `end()` every participant disconnects within moments of the others, and a town
 * hall's start brings many joins at once: told one by one, each change would reach every socket of the
 * meeting (N²/2 packets for N changes); gathered, each window costs one packet per listener. Short
 * enough to add little to `leave()` → told (tens of ms against a 250 ms goal).
 */
export const PRESENCE_WINDOW_MS = 25

/**
 * How long a node gathers returns (sessions back on a new socket, such as the herd of a node that died)
 * before it tells them. Each window is one packet to every socket of the meeting, and a herd of 500
 * returning over seconds in 25 ms windows was hundreds of packets to each of 1,000 listeners, for news
 * (a new socket id) that no one waits for. Shorter than any grace period, so a return is always told
 * before another node could announce that session's departure; this node flushes returns before it
 * tells a departure.
 */
export const RETURN_WINDOW_MS = 250

/**
 * Gathers items per meeting for `windowMs`, then hands each meeting's list to `tell`, in order. With
 * `leading`, an item that finds no window open is told as soon as the code that added it is done (a
 * microtask: the departures of a meeting closed in one go are still told together, to nobody), and
 * opens a window for what follows: a lone change (a `leave()`) waits for no window, and a burst costs
 * at most two packets per window.
 */
export function createMeetingBatcher<T>(
  tell: (meetingKey: string, items: T[]) => void,
  windowMs = PRESENCE_WINDOW_MS,
  { leading = false }: { leading?: boolean } = {},
) {
  const pending = new Map<string, T[]>()
  let timer: ReturnType<typeof setTimeout> | null = null
  let soon = false
  const tellPending = () => {
    const batches = [...pending]
    pending.clear()
    for (const [meetingKey, items] of batches) tell(meetingKey, items)
  }
  const flush = () => {
    if (timer) clearTimeout(timer)
    timer = null
    tellPending()
  }
  const open = () => {
    timer = setTimeout(flush, windowMs)
    timer.unref?.()
  }
  return {
    add(meetingKey: string, item: T): void {
      const list = pending.get(meetingKey)
      if (list) list.push(item)
      else pending.set(meetingKey, [item])
      if (timer || soon) return
      if (!leading) {
        open()
        return
      }
      soon = true
      queueMicrotask(() => {
        soon = false
        tellPending()
        if (!timer) open()
      })
    },
    /** Tells whatever is gathered now (a closing node). */
    flush,
  }
}
