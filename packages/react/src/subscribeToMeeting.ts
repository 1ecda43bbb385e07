import type { Meeting, MeetingEventName } from '@convene/core'

const everyEvent: readonly MeetingEventName[] = [
  'meeting-joined',
  'meeting-left',
  'participant-joined',
  'participant-left',
  'participant-media-changed',
  'meeting-state-changed',
  'error',
]

/**
 * The `subscribe` handed to `useSyncExternalStore`: `meeting.subscribe`, plus a wake-up on every core
 * event. The extra wake-ups are free (React re-reads `getSnapshot` and bails out when it is the same
 * object), and they cover a core gap: `meeting.subscribe` stays silent when an emitted event already
 * refreshed the snapshot during the same transition (joined, participant-joined, -left, meeting-left).
 * Remove the event part once core notifies subscribers of every snapshot change.
 */
export function subscribeToMeeting(meeting: Meeting, onChange: () => void): () => void {
  const offs = [meeting.subscribe(onChange), ...everyEvent.map((name) => meeting.on(name, () => onChange()))]
  return () => {
    for (const off of offs) off()
  }
}
