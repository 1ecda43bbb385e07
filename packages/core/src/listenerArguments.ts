import { MeetingError } from './MeetingError.js'
import type { MeetingEventName } from './meetingEvents.js'

// A Record, not a list: adding an event to MeetingEventMap fails to compile until it is named here.
const EVENT_NAMES: Record<MeetingEventName, true> = {
  'meeting-joined': true,
  'meeting-left': true,
  'participant-joined': true,
  'participant-left': true,
  'participant-media-changed': true,
  'meeting-state-changed': true,
  error: true,
}

/**
 * Refuses what `on()` and `subscribe()` could only fail on later: a listener that is not a function
 * would throw inside the meeting's next step (an uncaught error that stops a Node process), and an
 * event name with a typo would never fire. TypeScript catches both; plain JavaScript does not.
 */
export function checkListener(method: 'on' | 'subscribe', listener: unknown, event?: unknown): void {
  if (method === 'on' && !(typeof event === 'string' && Object.hasOwn(EVENT_NAMES, event))) {
    throw MeetingError.invalidOption(
      'event',
      `on() takes one of ${Object.keys(EVENT_NAMES).join(', ')}; got ${describe(event)}`,
    )
  }
  if (typeof listener !== 'function') {
    throw MeetingError.invalidOption('listener', `${method}() needs a function; got ${describe(listener)}`)
  }
}

function describe(value: unknown): string {
  return typeof value === 'string'
    ? JSON.stringify(value.slice(0, 64))
    : value === null
      ? 'null'
      : typeof value
}
