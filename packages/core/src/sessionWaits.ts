import { type Actor, type SnapshotFrom, waitFor } from 'xstate'
import type { EndReason, MeetingInput } from './context.js'
import { MeetingError } from './MeetingError.js'
import type { Statechart } from './meetingMachine.js'
import { statusOf } from './meetingSnapshot.js'
import type { JoinCommand } from './transitions.js'

// What join(), leave() and end() wait for, with XState's `waitFor`.

type MeetingActor = Actor<Statechart>
type MachineSnapshot = SnapshotFrom<Statechart>

const underway = (s: MachineSnapshot) => s.matches('authorizing') || s.matches('joining')

const TRANSPORT_JOIN_CODES: ReadonlySet<string> = new Set([
  'AUTH_FAILED',
  'JOIN_FAILED',
  'PROTOCOL_VERSION',
  'MESSAGE_TOO_LARGE',
])

function joinFailure(reason: EndReason, lastError: MeetingError | undefined): MeetingError {
  // The transport's own AUTH_FAILED, JOIN_FAILED, PROTOCOL_VERSION or MESSAGE_TOO_LARGE (server refused,
  // server unreachable, server of another version, handshake too large) says why.
  if (reason === 'transport-error' && lastError && TRANSPORT_JOIN_CODES.has(lastError.code))
    return new MeetingError(lastError.code, `join() failed: ${lastError.message}`, { cause: lastError })
  const [code, why] =
    reason === 'cancelled'
      ? (['JOIN_CANCELLED', 'leave() was called before the join completed'] as const)
      : reason === 'timeout'
        ? (['JOIN_TIMEOUT', 'the transport was not ready within joinTimeoutMs'] as const)
        : reason === 'transport-error'
          ? (['JOIN_FAILED', 'the transport failed while joining'] as const)
          : (['JOIN_FAILED', `the session ended while joining (${reason})`] as const)
  return new MeetingError(code, `join() failed: ${why}.`, lastError ? { cause: lastError } : {})
}

export const disposedError = () =>
  new MeetingError('JOIN_CANCELLED', 'join() failed: the meeting was disposed.')

/** For a command to a disposed meeting: its actor is stopped, so the command would wait forever. */
export const disposedCommandError = (action: string) =>
  new MeetingError('NOT_JOINED', `${action}() needs a joined meeting; this one was disposed.`)

/**
 * Settles once the session a JOIN just asked for is joined, or is over without joining. A JOIN sent
 * while the last session is still leaving asks for the session after it.
 */
export function whenJoined(
  actor: MeetingActor,
  onError: (listener: (error: MeetingError) => void) => () => void,
): Promise<void> {
  const asked = actor.getSnapshot().context
  const session = asked.sessions + (asked.rejoin !== null ? 1 : 0)
  // The last error while joining says why a join failed: a refused token is AUTH_FAILED, not a vague JOIN_FAILED.
  let lastError: MeetingError | undefined
  const stopWatching = onError((error) => {
    lastError = error
  })
  return waitFor(actor, (s) => s.context.sessions === session && !underway(s))
    .then(
      (s) => {
        if (s.context.wasJoined) return
        // Back in idle: authorizing failed (its error is the answer) or leave() cancelled it.
        if (s.matches('idle')) throw lastError ?? joinFailure('cancelled', undefined)
        throw joinFailure(s.context.endReason ?? 'cancelled', lastError)
      },
      (error: unknown) => {
        throw error instanceof MeetingError ? error : disposedError()
      },
    )
    .finally(stopWatching)
}

/**
 * Settles when the app's side of the session is over: `leaving` (where meeting-left fires), not when
 * the goodbye has been confirmed by everyone.
 */
export function whenOut(actor: MeetingActor): Promise<void> {
  return waitFor(actor, (s) => {
    const status = statusOf(s)
    return status === 'idle' || status === 'ended'
  }).then(
    () => undefined,
    () => undefined,
  )
}

/**
 * Stops the actor once its session is no longer `leaving` (the goodbye confirmed, or `leaveTimeoutMs`
 * passed), at once when it is not: what `dispose()` leaves running is bounded by the leave timeout.
 */
export function stopOnceOut(actor: MeetingActor): void {
  if (!actor.getSnapshot().matches('leaving')) {
    actor.stop()
    return
  }
  const watch = actor.subscribe((snapshot) => {
    if (snapshot.matches('leaving')) return
    watch.unsubscribe()
    actor.stop()
  })
}

/**
 * The JOIN to send now. A session after the first gets a fresh identity from the app's hooks here,
 * outside the statechart: a `createSessionId` or `now` that throws, or returns what the wire refuses,
 * gives its `INVALID_OPTION` error instead, and the meeting stays as it was. The first session's
 * identity was made (and checked) at `createMeeting`.
 */
export function joinCommand(actor: MeetingActor, input: MeetingInput): JoinCommand | MeetingError {
  const now = actor.getSnapshot()
  if (!(now.matches('ended') || now.matches('leaving')) || !input.newSession) return { type: 'JOIN' }
  try {
    return { type: 'JOIN', session: input.newSession() }
  } catch (error) {
    return error instanceof MeetingError
      ? error
      : MeetingError.invalidOption('createSessionId', 'failed to make a session id', error)
  }
}
