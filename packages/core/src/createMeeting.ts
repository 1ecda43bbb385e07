import { type Actor, createActor } from 'xstate'
import { bearerCredentials, obtainCredentials, type SessionCredentials } from './auth/credentials.js'
import { createHelloVerifier } from './auth/verifyHelloToken.js'
import type { MeetingInput } from './context.js'
import { createEmitter } from './createEmitter.js'
import { MeetingError } from './MeetingError.js'
import { mediaControls } from './mediaControls.js'
import { type MeetingMachine, meetingMachine } from './meetingMachine.js'
import { deriveSnapshot, statusOf } from './meetingSnapshot.js'
import { resolveOptions, sessionIdentity } from './options.js'
import { later } from './platform.js'
import { publicActor } from './publicMachine.js'
import { createSessionLogic } from './sessionActor.js'
import type { CreateMeetingOptions, Meeting, MeetingEventMap, MeetingSnapshot } from './types.js'
import type { MeetingEmitted } from './work.js'

const joinFailures = {
  cancelled: ['JOIN_CANCELLED', 'leave() was called before the join completed'],
  timeout: ['JOIN_TIMEOUT', 'the transport was not ready within joinTimeoutMs'],
  'transport-error': ['JOIN_FAILED', 'the transport failed while joining'],
} as const

let warned = false
function warnSelfDeclaredRoles() {
  if (warned) return
  warned = true
  console.warn(
    '[convene] No `auth` given: participants declare their own roles, so anyone can claim to be host. Fine for development; pass `token` and `auth` in production.',
  )
}

/**
 * Creates one participant's meeting. Nothing touches the network until `join()`; each join after an
 * end starts a fresh session (a new actor and session id), so a rejoin never collides with the last.
 */
export function createMeeting(options: CreateMeetingOptions): Meeting {
  const resolved = resolveOptions(options)
  const verify = resolved.auth && createHelloVerifier(resolved.auth, resolved.meetingId)
  if (!verify) warnSelfDeclaredRoles()
  // The credentials of the session being joined: set by join() before the statechart opens a session.
  let credentials: SessionCredentials | null = null
  const machine = meetingMachine.provide({
    actors: { session: createSessionLogic(options.transport, verify, () => credentials) },
  })
  const events = createEmitter<MeetingEventMap>()
  const changes = createEmitter<{ change: () => void }>()
  const fire = events.fire
  let actor!: Actor<MeetingMachine>
  let snapshot: MeetingSnapshot | null = null
  let published: MeetingSnapshot | null = null
  let started = false
  let announcedState: MeetingSnapshot['meetingState'] = 'DISCONNECTED'
  let joining: Promise<void> | null = null
  // Set while join() checks our own token, before the statechart has heard of the join.
  let cancelPendingJoin: (() => void) | null = null

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

  // A session's actor is created when the session is prepared (so getSnapshot() works before join),
  // but the one that runs, and that an inspector sees, is created by join(): a meeting React renders
  // and throws away (StrictMode, server rendering) never shows up in an inspector.
  let input: MeetingInput
  function startSession(run: boolean) {
    if (!run) {
      const { sessionId, joinedAt } = sessionIdentity(resolved)
      input = {
        meetingId: resolved.meetingId,
        local: { ...resolved.participant, sessionId, stream: null, micOn: true, webcamOn: true },
        joinedAt,
        timing: resolved.timing,
        authRequired: verify !== undefined,
      }
    }
    actor = createActor(machine, { input, ...(run && options.inspect ? { inspect: options.inspect } : {}) })
    started = run
    joining = null
    if (!run) return
    const own = actor
    own.on('*', (event) => own === actor && dispatch(event as MeetingEmitted))
    own.subscribe({
      next: () => {
        if (own !== actor) return
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
    own.start()
  }

  const whenEnded = () =>
    new Promise<void>((resolve) => {
      if (actor.getSnapshot().status !== 'active') return resolve()
      const subscription = actor.subscribe({ complete: resolve, error: () => resolve() })
      void subscription
    })
  // leave() and end() settle when the app's side of the session is over (the statechart enters
  // `leaving`, where meeting-left fires), not when the goodbye has been confirmed by everyone.
  const whenOut = () => {
    const own = actor
    return new Promise<void>((resolve) => {
      const out = () => own.getSnapshot().status !== 'active' || statusOf(own.getSnapshot()) === 'ended'
      if (out()) return resolve()
      const subscription = own.subscribe({
        next: () => {
          if (!out()) return
          resolve()
          later(() => subscription.unsubscribe())
        },
        complete: resolve,
        error: () => resolve(),
      })
    })
  }

  let disposed = false
  startSession(false)
  published = current()

  const meeting: Meeting = {
    get meetingId() {
      return resolved.meetingId
    },
    get localParticipant() {
      return current().localParticipant
    },
    get participants() {
      return current().participants
    },
    get meetingState() {
      return current().meetingState
    },
    get actor() {
      return publicActor(actor)
    },
    join() {
      if (disposed)
        return Promise.reject(new MeetingError('JOIN_CANCELLED', 'join() failed: the meeting was disposed.'))
      // Joining again right after leave(): the new session starts once the old one's goodbye is delivered.
      if (started && actor.getSnapshot().matches('leaving')) return whenEnded().then(() => meeting.join())
      if (actor.getSnapshot().status !== 'active') startSession(false)
      if (!started) startSession(true)
      if (joining) return joining
      const status = current().status
      if (status === 'joined') return Promise.resolve()
      const own = actor
      joining = new Promise<void>((resolve, reject) => {
        // The last error while joining says why a join failed: a refused token is AUTH_FAILED, not a vague JOIN_FAILED.
        let lastError: MeetingError | undefined
        const stopWatching = events.on('error', (error) => {
          lastError = error
        })
        const subscription = own.subscribe((machine) => {
          const now = deriveSnapshot(machine, null)
          if (now.status === 'joined') resolve()
          else if (now.status === 'ended') {
            const reason = (machine.context.endReason ?? 'cancelled') as keyof typeof joinFailures
            const [code, why] = joinFailures[reason] ?? [
              'JOIN_FAILED',
              `the session ended while joining (${reason})`,
            ]
            // The transport's own AUTH_FAILED or JOIN_FAILED (server refused, server unreachable) says why.
            const told =
              reason === 'transport-error' &&
              (lastError?.code === 'AUTH_FAILED' || lastError?.code === 'JOIN_FAILED')
            reject(
              new MeetingError(
                told ? lastError!.code : code,
                `join() failed: ${told ? lastError!.message : why}${told ? '' : '.'}`,
                lastError ? { cause: lastError } : {},
              ),
            )
          } else return
          stopWatching()
          later(() => subscription.unsubscribe())
        })
        const fail = (error: MeetingError) => {
          cancelPendingJoin = null
          joining = null
          stopWatching()
          subscription.unsubscribe()
          // Told to listeners too: a join started for the app (React's joinOnMount) has no caller to reject to.
          if (error.code !== 'JOIN_CANCELLED') fire('error', error)
          reject(error)
        }
        const { token } = resolved
        credentials = typeof token === 'string' && !verify ? bearerCredentials(token) : null
        if (token === undefined || credentials) return own.send({ type: 'JOIN' })
        // A key and a token bound to it, our own token checked as peers will check it, before any hello.
        const local = resolved.participant
        const pending = () =>
          fail(
            new MeetingError(
              'JOIN_CANCELLED',
              'join() failed: leave() was called before the join completed.',
            ),
          )
        cancelPendingJoin = pending
        obtainCredentials(
          token,
          { meetingId: resolved.meetingId, participantId: local.id, role: local.role },
          verify && ((own) => verify({ token: own, meetingId: resolved.meetingId, participant: local })),
        ).then(
          (obtained) => {
            if (cancelPendingJoin !== pending) return
            cancelPendingJoin = null
            credentials = obtained
            own.send({ type: 'JOIN' })
          },
          (error: unknown) =>
            cancelPendingJoin === pending &&
            fail(
              error instanceof MeetingError
                ? error
                : new MeetingError(
                    'AUTH_FAILED',
                    `join() failed: the token function threw (${String(error)}).`,
                    {
                      cause: error,
                    },
                  ),
            ),
        )
      })
      return joining
    },
    leave() {
      if (cancelPendingJoin) {
        cancelPendingJoin()
        return Promise.resolve()
      }
      const status = current().status
      if (status === 'idle' || status === 'ended') return Promise.resolve()
      actor.send({ type: 'LEAVE' })
      return whenOut()
    },
    end() {
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
      return whenOut()
    },
    removeParticipant(participantId) {
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
    ...mediaControls(current, (command) => actor.send(command)),
    on: events.on,
    getSnapshot: current,
    subscribe: (listener) => changes.on('change', listener),
    dispose() {
      // A join waiting for the last session's goodbye must not start a session in a disposed meeting.
      disposed = true
      actor.stop()
    },
  }
  return meeting
}
