import type { MeetingSnapshot } from '@convene/core'
import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from 'react'
import { useMeetingFromContext } from './MeetingContext.js'

/**
 * Reads one value out of the meeting's snapshot. The component re-renders only when `compare` says the
 * selected value changed, so a tile selecting `meetingState` ignores roster changes.
 *
 * @param selector Pure function of the snapshot. May be an inline arrow.
 * @param compare Equality of two selections. Defaults to `Object.is`.
 */
export function useMeetingSelector<TSelected>(
  selector: (snapshot: MeetingSnapshot) => TSelected,
  compare: (previous: TSelected, next: TSelected) => boolean = Object.is,
): TSelected {
  const meeting = useMeetingFromContext('useMeetingSelector')
  const subscribe = useCallback((onChange: () => void) => meeting.subscribe(onChange), [meeting])
  // The last committed selection: a fresh selector (inline arrow) must not hand React a new but equal
  // value, or every render would schedule another one.
  const committed = useRef<{ value: TSelected } | null>(null)

  // Same memo as use-sync-external-store/with-selector: one selector call per snapshot, and an equal
  // selection keeps the previous identity so useSyncExternalStore bails out of the re-render.
  const getSelection = useMemo(() => {
    let memo: { snapshot: MeetingSnapshot; value: TSelected } | null = null
    return (): TSelected => {
      const snapshot = meeting.getSnapshot()
      if (memo !== null && memo.snapshot === snapshot) return memo.value
      const next = selector(snapshot)
      const previous = memo ?? committed.current
      const value = previous !== null && compare(previous.value, next) ? previous.value : next
      memo = { snapshot, value }
      return value
    }
  }, [meeting, selector, compare])

  const selected = useSyncExternalStore(subscribe, getSelection, getSelection)
  useEffect(() => {
    committed.current = { value: selected }
  }, [selected])
  return selected
}
