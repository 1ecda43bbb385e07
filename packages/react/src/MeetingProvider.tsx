import {
  type CreateMeetingOptions,
  createMeeting,
  type InspectOption,
  type Meeting,
  type Transport,
} from '@convene/core'
import { type ReactNode, useEffect, useRef, useState } from 'react'
import { MeetingContext } from './MeetingContext.js'

/** Everything `createMeeting` takes except the transport and the inspector, which are props of their own. */
export type MeetingProviderConfig = Omit<CreateMeetingOptions, 'transport' | 'inspect'>

export interface MeetingProviderProps {
  /**
   * The meeting to create. A new `meetingId` or `participant.id` leaves the current meeting and creates a
   * new one; other changes to `config` apply from the next meeting on. Required.
   */
  config: MeetingProviderConfig
  /** The network to meet over, read when a meeting is created. Required. */
  transport: Transport
  /** Joins as soon as the provider mounts (and after each `meetingId`/participant change). Defaults to `false`. */
  joinOnMount?: boolean
  /** An XState inspector for the meeting's statechart, read when a meeting is created. Defaults to none. */
  inspect?: InspectOption
  /** The part of the app that uses the meeting. Defaults to nothing. */
  children?: ReactNode
}

/**
 * Owns one meeting for as long as it is mounted, and leaves it on unmount. React StrictMode's
 * mount-unmount-mount joins once and shows remote participants no leave.
 */
export function MeetingProvider({
  config,
  transport,
  joinOnMount = false,
  inspect,
  children,
}: MeetingProviderProps) {
  const meeting = useOwnedMeeting(config, transport, inspect)
  // Unmount's leave waits one macrotask so that StrictMode's immediate re-mount (same meeting) can take
  // it back. A real unmount lets it run; a switch to another meeting runs it at once.
  const pendingLeave = useRef<{ meeting: Meeting; timer: ReturnType<typeof setTimeout> } | null>(null)

  useEffect(() => {
    const pending = pendingLeave.current
    if (pending !== null) {
      pendingLeave.current = null
      clearTimeout(pending.timer)
      if (pending.meeting !== meeting) void pending.meeting.leave().catch(ignore)
    }
    // A failed join is reported by the meeting itself (`error` event, `endReason`); nobody awaits this one.
    if (joinOnMount) void meeting.join().catch(ignore)
    return () => {
      const timer = setTimeout(() => {
        if (pendingLeave.current?.meeting === meeting) pendingLeave.current = null
        void meeting.leave().catch(ignore)
      }, 0)
      pendingLeave.current = { meeting, timer }
    }
  }, [meeting, joinOnMount])

  return <MeetingContext.Provider value={meeting}>{children}</MeetingContext.Provider>
}

/**
 * The provider's meeting, created during render (createMeeting has no side effects until `join()`, so
 * a render React throws away, on the server or in StrictMode, costs nothing) and replaced when the
 * meeting's identity changes.
 */
function useOwnedMeeting(
  config: MeetingProviderConfig,
  transport: Transport,
  inspect: InspectOption | undefined,
) {
  // Optional chaining leaves a missing participant to createMeeting, which names the bad option.
  const identity = `${config?.meetingId}\u0000${config?.participant?.id}`
  const create = () => ({
    identity,
    meeting: createMeeting({ ...config, transport, ...(inspect ? { inspect } : {}) }),
  })
  const [owned, setOwned] = useState(create)
  if (owned.identity === identity) return owned.meeting
  // React's "adjust state while rendering": re-renders at once with the new meeting, before any effect.
  const next = create()
  setOwned(next)
  return next.meeting
}

function ignore(): void {}
