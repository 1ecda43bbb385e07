import type { ParticipantRole } from './participant.js'

/** An EC P-256 public key as a JWK: what a token's `cnf.jwk` claim holds (RFC 7800). */
export interface PublicJwk {
  /** Key type: always `'EC'`. */
  kty: 'EC'
  /** Curve: always `'P-256'`. */
  crv: 'P-256'
  /** The point's x coordinate, base64url. */
  x: string
  /** The point's y coordinate, base64url. */
  y: string
}

/**
 * How peers' tokens are verified: the public keys that sign them, a JWKS (object, or URL to fetch it)
 * or one ES256 public key (JWK or SPKI PEM).
 */
export type MeetingAuth = (
  | { jwks: { keys: readonly object[] } | string }
  | { publicKey: object | string }
) & {
  /**
   * Accept tokens not bound to a session key (no `cnf.jwk`). Anyone who sees such a token (every peer
   * does, in the holder's hello) can join as its holder, host included. Defaults to `false`.
   */
  allowBearerTokens?: boolean
}

/** What the app's token function is asked for at each join (and again before the token expires). */
export interface TokenProviderRequest {
  /** The meeting being joined (`createMeeting`'s `meetingId`): the token's audience (`aud`) must be it. */
  meetingId: string
  /** Who is joining (`participant.id`): the token's subject (`sub`) must be it. */
  participantId: string
  /**
   * The role the participant asks for (`participant.role`, `'participant'` when not given). The backend
   * decides: a token granting another role fails the join with `AUTH_FAILED`, so refuse rather than
   * grant a different role.
   */
  role: ParticipantRole
  /**
   * This session's public key. Put it in the token's `cnf.jwk` claim (`@convene/server`'s `createToken`
   * and `POST /token` take it as `publicKey`): peers then accept the token only from this session,
   * which proves it holds the private key by signing each hello.
   */
  publicKey: PublicJwk
}

/** Fetches a token from the app's backend, e.g. `POST /token` of `@convene/server`. */
export type TokenProvider = (request: TokenProviderRequest) => string | Promise<string>
