import { createActor } from 'xstate'
import { createHelloVerifier } from './auth/verifyHelloToken.js'
import { deferredInspect } from './deferredInspect.js'
import { MeetingError } from './MeetingError.js'
import { mediaControls } from './mediaControls.js'
import { meetingFacade } from './meetingFacade.js'
import { meetingMachine } from './meetingMachine.js'
import { meetingSetup, warnSelfDeclaredRoles } from './meetingSetup.js'
import { meetingView } from './meetingView.js'
import { resolveOptions } from './options.js'
import { publicActor } from './publicMachine.js'
import {
  disposedCommandError,
  disposedError,
  joinCommand,
  stopOnceOut,
  whenJoined,
  whenOut,
} from './sessionWaits.js'
import type { CreateMeetingOptions, Meeting } from './types.js'

/**
 * Creates one participant's meeting: one statechart actor for its whole life, which this object
 * projects. Nothing touches the network until `join()`; each join after an end starts a fresh session
 * (a new session id), so a rejoin never collides with the last.
 */
export function createMeeting(options: CreateMeetingOptions): Meeting {
  const resolved = resolveOptions(options)
  const verify = resolved.auth && createHelloVerifier(resolved.auth, resolved.meetingId)
  if (!verify) warnSelfDeclaredRoles()
  // Created now (so getSnapshot() works before join), started by the first join: a meeting React renders
  // and throws away (StrictMode, server rendering) never shows up in an inspector.
  const inspection = options.inspect && deferredInspect(options.inspect)
  const input = meetingSetup(resolved, options.transport, verify)
  const actor = createActor(meetingMachine, {
    input,
    ...(inspection ? { inspect: inspection.inspect } : {}),
  })
  const view = meetingView(actor)
  const { current } = view
  let started = false
  let disposed = false
  // join() twice while joining is one join: the same promise.
  let joining: Promise<void> | null = null
  const start = () => {
    if (started) return
    started = true
    inspection?.open()
    view.attach()
    actor.start()
  }

  return meetingFacade({
    actor: publicActor(actor),
    join() {
      if (disposed) return Promise.reject(disposedError())
      start()
      if (actor.getSnapshot().matches('joined')) return Promise.resolve()
      if (joining) return joining
      const command = joinCommand(actor, input)
      if (command instanceof MeetingError) return Promise.reject(command)
      actor.send(command)
      const settled = () => {
        joining = null
      }
      joining = whenJoined(actor, (listener) => view.on('error', listener)).catch((error: unknown) => {
        // dispose() cancels a join with a LEAVE: say so rather than "leave() was called".
        throw disposed ? disposedError() : error
      })
      joining.then(settled, settled)
      return joining
    },
    leave() {
      if (disposed) return Promise.resolve() // dispose() already dropped the session
      const status = current().status
      if (status === 'idle' || status === 'ended') return Promise.resolve()
      actor.send({ type: 'LEAVE' })
      return whenOut(actor)
    },
    end() {
      if (disposed) return Promise.reject(disposedCommandError('end'))
      const now = current()
      if (now.status !== 'joined') return Promise.reject(MeetingError.notJoined('end'))
      if (!now.canEnd) {
        return Promise.reject(
          new MeetingError(
            'END_NOT_ALLOWED',
            'Only a host, or the last participant left, can end the meeting.',
          ),
        )
      }
      actor.send({ type: 'END' })
      return whenOut(actor)
    },
    removeParticipant(participantId) {
      if (disposed) return Promise.reject(disposedCommandError('removeParticipant'))
      const now = current()
      if (now.status !== 'joined') return Promise.reject(MeetingError.notJoined('removeParticipant'))
      if (!now.isHost) {
        return Promise.reject(new MeetingError('REMOVE_NOT_ALLOWED', 'Only a host can remove participants.'))
      }
      if (!now.participants.has(participantId)) {
        return Promise.reject(
          new MeetingError('PARTICIPANT_NOT_FOUND', `No participant "${participantId}" in this meeting.`, {
            details: { participantId },
          }),
        )
      }
      actor.send({ type: 'REMOVE', participantId })
      return Promise.resolve()
    },
    ...mediaControls(
      current,
      (command) => actor.send(command),
      () => disposed,
    ),
    on: view.on,
    getSnapshot: current,
    subscribe: view.subscribe,
    dispose() {
      if (disposed) return
      // A join waiting for the last session's goodbye must not start a session in a disposed meeting.
      disposed = true
      if (!started) return actor.stop()
      // Out as by leave(), in this same step: meeting-left fires, the camera and microphone stop and the
      // snapshot reads `ended`. The goodbye is then delivered behind the scenes, as after leave() (at
      // most leaveTimeoutMs): stopping the actor now would close every link under it, and over WebRTC
      // a goodbye sent just before its data channel closes is lost (the others read a crash).
      actor.send({ type: 'LEAVE' })
      stopOnceOut(actor)
    },
  })
}
