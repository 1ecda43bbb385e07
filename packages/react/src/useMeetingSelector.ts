import type { MeetingSnapshot } from '@convene/core'
import { useCallback } from 'react'
import { useSyncExternalStoreWithSelector } from 'use-sync-external-store/with-selector'
import { useMeetingFromContext } from './MeetingContext.js'

/**
 * Reads one value out of the meeting's snapshot. The component re-renders only when `compare` says the
 * selected value changed, so a tile selecting `meetingState` ignores roster changes.
 *
 * This is `@xstate/react`'s `useSelector`, bound to the meeting rather than to `meeting.actor`: the same
 * `useSyncExternalStoreWithSelector`, fed by the facade's `subscribe`/`getSnapshot`. The actor is a new
 * one after each rejoin, so a hook bound to it would keep reading the session that ended; the facade is
 * one object for the meeting's whole life. The entry is `with-selector`, not `shim/with-selector`:
 * React 18 and 19 have `useSyncExternalStore` built in, and the shim (like `@xstate/react`'s layout-effect
 * helper) reads `window` and `document` as it loads, on the server too.
 *
 * @param selector Pure function of the snapshot. May be an inline arrow: it runs once per snapshot, and
 *   an equal selection keeps the previous one's identity.
 * @param compare Equality of two selections. Defaults to `Object.is`.
 */
export function useMeetingSelector<TSelected>(
  selector: (snapshot: MeetingSnapshot) => TSelected,
  compare: (previous: TSelected, next: TSelected) => boolean = Object.is,
): TSelected {
  const meeting = useMeetingFromContext('useMeetingSelector')
  const subscribe = useCallback((onChange: () => void) => meeting.subscribe(onChange), [meeting])
  const getSnapshot = useCallback(() => meeting.getSnapshot(), [meeting])
  return useSyncExternalStoreWithSelector(subscribe, getSnapshot, getSnapshot, selector, compare)
}
