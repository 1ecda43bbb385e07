import { fromPromise } from 'xstate'
import { bearerCredentials, obtainCredentials, type SessionCredentials } from './auth/credentials.js'
import type { MeetingInput } from './context.js'
import { MeetingError } from './MeetingError.js'

// The statechart's `authorizing` state: a session's credentials, obtained before anyone hears of it.

/**
 * Whether a session must obtain credentials before it joins: a token function (a key pair to create
 * and a token to fetch), or any token when peers verify ours (we check our own first, as they will).
 */
export const needsCredentials = (setup: MeetingInput): boolean =>
  setup.token !== undefined && (typeof setup.token === 'function' || setup.verify !== undefined)

/** The credentials a session has without waiting: a bearer string nobody checks, or none. */
export const immediateCredentials = (setup: MeetingInput): SessionCredentials | null =>
  typeof setup.token === 'string' && !needsCredentials(setup) ? bearerCredentials(setup.token) : null

/** What `authorizing` is given: the meeting's setup and who this session is. */
export interface AuthorizeInput {
  setup: MeetingInput
}

/** A key and a token bound to it, our own token checked as peers will check it, before any hello. */
export const authorizeLogic = fromPromise<SessionCredentials, AuthorizeInput>(({ input }) => {
  const { setup } = input
  const { token, verify, meetingId, participant } = setup
  if (token === undefined) return Promise.reject(new MeetingError('AUTH_FAILED', 'join() failed: no token.'))
  // The keys that check our token (a remote JWKS) come while the key pair and the token do.
  verify?.prepare?.()
  return obtainCredentials(
    token,
    { meetingId, participantId: participant.id, role: participant.role },
    verify && ((own) => verify({ token: own, meetingId, participant })),
    Date.now,
    setup.sessionKey,
  )
})

/** Why authorizing failed, for the app: the error as it is, or AUTH_FAILED naming the token function. */
export function authFailure(error: unknown): MeetingError {
  if (error instanceof MeetingError) return error
  return new MeetingError('AUTH_FAILED', `join() failed: the token function threw (${String(error)}).`, {
    cause: error,
  })
}
