import type { Meeting } from '@convene/core'
import { useCallback, useMemo, useSyncExternalStore } from 'react'
import { allPaths, type ChartState } from './statechartModel.js'

/**
 * The active state paths of the meeting's current actor, as one string (`joined joined.connected`) so
 * that heartbeat re-entries, which change nothing visible, do not re-render. Follows `meeting.actor`
 * to the new actor after a rejoin.
 */
export function useActiveStates(meeting: Meeting, chart: readonly ChartState[]): ReadonlySet<string> {
  const paths = useMemo(() => allPaths(chart), [chart])
  const subscribe = useCallback(
    (onChange: () => void) => {
      let actor = meeting.actor
      let subscription = actor.subscribe({ next: onChange, error: onChange, complete: onChange })
      const off = meeting.subscribe(() => {
        if (meeting.actor !== actor) {
          subscription.unsubscribe()
          actor = meeting.actor
          subscription = actor.subscribe({ next: onChange, error: onChange, complete: onChange })
        }
        onChange()
      })
      return () => {
        off()
        subscription.unsubscribe()
      }
    },
    [meeting],
  )
  const getActive = useCallback(() => {
    const snapshot = meeting.actor.getSnapshot()
    return paths.filter((path) => snapshot.matches(path as never)).join(' ')
  }, [meeting, paths])
  const active = useSyncExternalStore(subscribe, getActive, getActive)
  return useMemo(() => new Set(active.split(' ').filter(Boolean)), [active])
}
