import { useMeetingInstance } from '@convene/react'
import { useEffect } from 'react'
import { meetingChart, StatechartPanel } from './StatechartPanel.js'
import { testHook } from './testHook.js'
import { useActiveStates } from './useActiveStates.js'

/** The statechart panel following the meeting of the nearest provider. */
export function LiveStatechart() {
  const active = useActiveStates(useMeetingInstance(), meetingChart)
  useEffect(() => {
    testHook.activeStates = [...active]
  }, [active])
  return <StatechartPanel active={active} />
}
