import type { Actor } from 'xstate'
import { createEmitter } from './createEmitter.js'
import { checkListener } from './listenerArguments.js'
import { MeetingError } from './MeetingError.js'
import type { Statechart } from './meetingMachine.js'
import { deriveSnapshot } from './meetingSnapshot.js'
import type { MeetingEventMap, MeetingSnapshot } from './types.js'
import type { MeetingEmitted } from './work.js'

/**
 * What the app sees of the meeting actor: the public snapshot (the same object until something public
 * changed), change notifications, and the statechart's emitted events re-emitted under their names.
 */
export function meetingView(actor: Actor<Statechart>) {
  const events = createEmitter<MeetingEventMap>()
  const changes = createEmitter<{ change: () => void }>()
  const { fire } = events
  let snapshot: MeetingSnapshot | null = null
  let announcedState: MeetingSnapshot['meetingState'] = 'DISCONNECTED'

  function current(): MeetingSnapshot {
    const next = deriveSnapshot(actor.getSnapshot(), snapshot)
    if (next !== snapshot) {
      snapshot = next
      if (next.meetingState !== announcedState) {
        announcedState = next.meetingState
        fire('meeting-state-changed', { state: next.meetingState })
      }
    }
    return next
  }

  function dispatch(event: MeetingEmitted) {
    current() // state changes are announced before the events they cause (and before meeting-left)
    switch (event.type) {
      case 'meeting-joined':
        return fire('meeting-joined')
      case 'meeting-left':
        return fire('meeting-left', { reason: event.reason })
      case 'participant-joined':
        return fire('participant-joined', event.participant)
      case 'participant-left':
        return fire('participant-left', event.participant, { reason: event.reason })
      case 'participant-media-changed':
        return fire('participant-media-changed', event.participant)
      case 'error':
        return fire('error', event.error)
    }
  }

  let published = current()
  /** Starts listening; called once, when the actor starts. */
  function attach() {
    actor.on('*', dispatch)
    actor.subscribe({
      next: () => {
        // Compared with what subscribers last saw, not with `snapshot`: emitted events may have derived
        // the new snapshot already (inside this same step) without anyone being told.
        const now = current()
        if (now !== published) {
          published = now
          changes.fire('change')
        }
      },
      error: (cause) =>
        fire('error', new MeetingError('TRANSPORT_ERROR', 'The meeting stopped on an error', { cause })),
    })
  }

  return {
    current,
    on<TEvent extends keyof MeetingEventMap>(event: TEvent, listener: MeetingEventMap[TEvent]) {
      checkListener('on', listener, event)
      return events.on(event, listener)
    },
    subscribe(listener: () => void) {
      checkListener('subscribe', listener)
      return changes.on('change', listener)
    },
    attach,
  }
}
