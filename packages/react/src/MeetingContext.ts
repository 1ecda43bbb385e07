import { type Meeting, MeetingError } from '@convene/core'
import { createContext, useContext } from 'react'

/** Holds the meeting of the nearest `MeetingProvider`; `null` outside of one. */
export const MeetingContext = createContext<Meeting | null>(null)
MeetingContext.displayName = 'MeetingContext'

/** Internal: every hook reads the meeting through here, so a missing provider fails the same way everywhere. */
export function useMeetingFromContext(hookName: string): Meeting {
  const meeting = useContext(MeetingContext)
  if (meeting === null) {
    throw new MeetingError(
      'NO_PROVIDER',
      `${hookName}() must be called inside a <MeetingProvider>. Wrap the component that calls it in <MeetingProvider config={...} transport={...}>.`,
    )
  }
  return meeting
}

/**
 * The core `Meeting` owned by the nearest `<MeetingProvider>`: the escape hatch to the facade,
 * for example `meeting.actor` for a statechart inspector. Reading it does not subscribe to changes.
 *
 * @throws MeetingError `NO_PROVIDER`, naming `<MeetingProvider>`, when called outside of one.
 */
export function useMeetingInstance(): Meeting {
  return useMeetingFromContext('useMeetingInstance')
}
