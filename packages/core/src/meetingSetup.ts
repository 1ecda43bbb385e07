import { keysAhead } from './auth/keysAhead.js'
import type { HelloVerifier } from './auth/verifyHelloToken.js'
import type { MeetingInput } from './context.js'
import { arrivalClock } from './departureDetector.js'
import { type ResolvedOptions, sessionIdentity } from './options.js'
import type { Transport } from './transport.js'

/**
 * The meeting actor's input: everything constant for the meeting's life, in one object its context
 * references. The first session's identity is checked here, so a bad `createSessionId` or `now` fails
 * at `createMeeting`. Inspectors see it as plain data, without the transport, verifier or token.
 */
export function meetingSetup(
  resolved: ResolvedOptions,
  transport: Transport,
  verify: HelloVerifier | undefined,
): MeetingInput {
  const { meetingId, participant, timing, token } = resolved
  return {
    meetingId,
    participant,
    timing,
    session: sessionIdentity(resolved),
    newSession: () => sessionIdentity(resolved),
    transport,
    ...(verify ? { verify } : {}),
    ...(token === undefined ? {} : { token }),
    // A key pair for each session the token function is asked about, ready before the join asks.
    ...(typeof token === 'function' ? { sessionKey: keysAhead() } : {}),
    clock: arrivalClock(),
    toJSON: () => ({ meetingId, participant, timing, auth: verify !== undefined }),
  }
}

let warned = false
/** Once per process: without `auth`, roles are whatever participants say. */
export function warnSelfDeclaredRoles() {
  if (warned) return
  warned = true
  console.warn(
    '[convene] No `auth` given: participants declare their own roles, so anyone can claim to be host. Fine for development; pass `token` and `auth` in production.',
  )
}
