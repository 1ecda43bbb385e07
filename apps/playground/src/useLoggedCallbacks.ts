import type { UseMeetingOptions } from '@convene/react'
import { useMemo } from 'react'
import type { AddLogEntry } from './logEntry.js'

const who = (participant: { id: string; name: string }) => ({ id: participant.id, name: participant.name })

/** What a media change left: which devices are on, and whether any stream arrived. */
const media = (p: { micOn: boolean; webcamOn: boolean; stream: unknown }) =>
  `mic ${p.micOn ? 'on' : 'off'}, camera ${p.webcamOn ? 'on' : 'off'}${p.stream ? '' : ', no stream yet'}`

/** Every `useMeeting` callback, each writing one line to the event log. */
export function useLoggedCallbacks(log: AddLogEntry): UseMeetingOptions {
  return useMemo(
    () => ({
      onMeetingJoined: () => log({ callback: 'onMeetingJoined' }),
      onMeetingLeft: ({ reason }) => log({ callback: 'onMeetingLeft', reason }),
      onParticipantJoined: (p) => log({ callback: 'onParticipantJoined', participant: who(p) }),
      onParticipantLeft: (p, { reason }) =>
        log({ callback: 'onParticipantLeft', participant: who(p), reason }),
      onParticipantMediaChanged: (p) =>
        log({
          callback: 'onParticipantMediaChanged',
          participant: who(p),
          detail: media(p),
        }),
      onMeetingStateChanged: ({ state }) => log({ callback: 'onMeetingStateChanged', detail: state }),
      onError: (error) => log({ callback: 'onError', reason: error.code, detail: error.message }),
    }),
    [log],
  )
}
