import type { IncomingHttpHeaders } from 'node:http'
import { MeetingError, type ParticipantRole } from '@convene/core'
import { lifetimeSeconds } from './createToken.js'
import type { SessionPublicKey } from './publicKey.js'
import { isSigningKey, type SigningKey } from './signingKey.js'

/** A request to `POST /token`, handed to {@link ConveneServerAuth.authorize} once its body is valid. */
export interface TokenRequest {
  /** The meeting the caller wants to join. */
  readonly meetingId: string
  /** The participant id the caller asks for. */
  readonly participantId: string
  /** The role the caller asks for; grant `'host'` only to someone the app trusts to end the meeting. */
  readonly role: ParticipantRole
  /** The request's headers (cookies, `authorization`): how the app knows who is asking. */
  readonly headers: IncomingHttpHeaders
  /**
   * The caller's session public key (checked: a public EC P-256 key, only `kty`, `crv`, `x`, `y` kept),
   * which the issued token will carry as `cnf.jwk` whatever the grant. Absent when the caller sent none:
   * the token would then be a bearer token, which core refuses unless the verifier sets
   * `allowBearerTokens`; return `false` to refuse such requests outright.
   */
  readonly publicKey?: SessionPublicKey
}

/** Claims to sign instead of what was asked; each one left out is granted as asked. */
export interface TokenGrant {
  /** Defaults to the requested meeting. */
  meetingId?: string
  /** Defaults to the requested participant id (an app would usually set its own user id here). */
  participantId?: string
  /** Defaults to the requested role. */
  role?: ParticipantRole
  /** Defaults to {@link ConveneServerAuth.expiresIn}. */
  expiresIn?: number | string
}

/** `true` grants what was asked, `false` refuses (403), a {@link TokenGrant} grants those claims. */
export type TokenDecision = boolean | TokenGrant

export interface ConveneServerAuth {
  /** Signs every token and is published at `/.well-known/jwks.json`. Required. */
  signingKey: SigningKey
  /**
   * Decides who gets which token: the app's own login check. Called for every valid `POST /token`;
   * throwing (or rejecting) answers 500 and grants nothing. Required: there is no default, since
   * allowing everyone is a decision an app has to make knowingly.
   */
  authorize: (request: TokenRequest) => TokenDecision | Promise<TokenDecision>
  /** The lifetime of issued tokens (seconds, or a span such as `'2h'`). Defaults to `3600` (one hour). */
  expiresIn?: number | string
  /** Where tokens are issued (`POST`). Defaults to `'/token'`. */
  tokenPath?: string
  /**
   * What a caller that `authorize` refused reads in the 403 `TOKEN_REFUSED` answer's `error`: how to
   * get a token (for example "log in first"). Defaults to "this server's token policy refused the
   * request (the auth.authorize hook given to createConveneServer decides who gets which token)".
   */
  refusal?: string
}

/** A refusal's default `error`: refused by policy, and where that policy lives. */
const DEFAULT_REFUSAL =
  "this server's token policy refused the request (the auth.authorize hook given to createConveneServer decides who gets which token)"

export interface ResolvedAuth {
  signingKey: SigningKey
  authorize: ConveneServerAuth['authorize']
  expiresIn: number
  tokenPath: string
  refusal: string
}

/** Checks the `auth` option; throws `MeetingError('INVALID_OPTION')` naming the bad field. */
export function resolveAuthOptions(
  auth: ConveneServerAuth | undefined,
  mountPath: (option: string, value: unknown) => string,
): ResolvedAuth | null {
  if (auth === undefined) return null
  if (typeof auth !== 'object' || auth === null) throw MeetingError.invalidOption('auth', 'must be an object')
  if (!isSigningKey(auth.signingKey)) {
    throw MeetingError.invalidOption(
      'auth.signingKey',
      'must come from generateSigningKey() or importSigningKey()',
    )
  }
  if (typeof auth.authorize !== 'function') {
    throw MeetingError.invalidOption('auth.authorize', 'must be a function deciding who gets a token')
  }
  if (auth.refusal !== undefined && (typeof auth.refusal !== 'string' || auth.refusal.trim() === '')) {
    throw MeetingError.invalidOption('auth.refusal', 'must be a non-empty string')
  }
  const tokenPath = mountPath('auth.tokenPath', auth.tokenPath ?? '/token')
  if (tokenPath === '/') throw MeetingError.invalidOption('auth.tokenPath', 'must differ from "/"')
  return {
    signingKey: auth.signingKey,
    authorize: auth.authorize,
    expiresIn: lifetimeSeconds(auth.expiresIn, 'auth.expiresIn'),
    tokenPath,
    refusal: auth.refusal ?? DEFAULT_REFUSAL,
  }
}
