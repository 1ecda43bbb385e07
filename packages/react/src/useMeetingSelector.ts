import type { MeetingSnapshot } from '@convene/core'
import { useCallback } from 'react'
import { useSyncExternalStoreWithSelector } from 'use-sync-external-store/with-selector'
import { useMeetingFromContext } from './MeetingContext.js'

/**
 * Reads one value out of the meeting's snapshot. The component re-renders only when `compare` says the
 * selected value changed, so a tile selecting `meetingState` ignores roster changes.
 *
 * This is `@xstate/react`'s `useSelector`: the same `useSyncExternalStoreWithSelector`, fed by the
 * meeting's `subscribe`/`getSnapshot` rather than `meeting.actor`'s. Both are one object for the
 * meeting's whole life, but the facade notifies only when the public snapshot changed, so a selector
 * runs once per visible change instead of once per statechart step (every heartbeat), and it selects
 * from `MeetingSnapshot`, the public data, not the machine's context. `@xstate/react` itself is not
 * used: as it loads, its layout-effect helper (`use-isomorphic-layout-effect`) reads `document` and
 * its `use-sync-external-store/shim` reads `window`, guarded reads that do not crash a server render
 * but that this package promises not to make (see the SSR test). The entry here is `with-selector`,
 * not `shim/with-selector`: React 18 and 19 have `useSyncExternalStore` built in.
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
