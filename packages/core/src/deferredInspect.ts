import type { InspectionEvent } from 'xstate'
import type { InspectOption } from './types.js'

/**
 * The app's inspector, held back until the meeting's first `join()`. XState announces an actor to its
 * inspector when the actor is created; a meeting created and thrown away unjoined (React StrictMode,
 * server rendering) must not show up in an inspector, so what comes before `open()` is kept and handed
 * over then, in order.
 */
export function deferredInspect(inspect: InspectOption) {
  const deliver = (event: InspectionEvent) => {
    if (typeof inspect === 'function') inspect(event)
    else inspect.next?.(event)
  }
  let held: InspectionEvent[] | null = []
  return {
    inspect(event: InspectionEvent) {
      if (held) held.push(event)
      else deliver(event)
    },
    open() {
      const events = held ?? []
      held = null
      for (const event of events) deliver(event)
    },
  }
}
