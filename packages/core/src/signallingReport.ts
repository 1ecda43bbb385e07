import type { MeetingContext } from './context.js'
import { sweep } from './membership.js'
import type { SignallingPresence } from './sessionEvents.js'
import { beginWork, type Work } from './work.js'

// The signalling server's view of who is connected (`signalling-presence`): a second signal for the
// departure detector besides silence, kept once per session (not in every presence record).

/** Stores the transport's latest report: each one replaces the last; `null` means it cannot tell. */
export function signallingPresence(context: MeetingContext, event: SignallingPresence): Work {
  const work = beginWork(context)
  work.session.signalling = event.connected === null ? null : new Set(event.connected)
  return work
}

/**
 * The same while the heartbeat clock runs (joined, connected): the new report may end a peer's
 * allowance at once (the server saw its connection close, or can no longer be heard), so the sweep
 * runs now rather than at the next tick.
 */
export function signallingPresenceSwept(context: MeetingContext, event: SignallingPresence): Work {
  const work = signallingPresence(context, event)
  sweep(work, context.setup.clock?.())
  return work
}
