/**
 * Limits every party to a Convene meeting applies to what it receives: the client that builds a message
 * and the server that checks it read the same numbers from here.
 */

/** Longest meeting, participant or session id, in UTF-16 code units; longer ones are refused, never cut. */
export const MAX_ID_LENGTH = 128

/** Longest display name a participant may give (in a hello, or to the relay). */
export const MAX_NAME_LENGTH = 256

/** Longest token a hello may carry or a token function may return. */
export const MAX_TOKEN_LENGTH = 8192

/**
 * Leeway, in seconds, for a token's `exp`, `nbf` and `iat` when it is verified. Every verifier (core's
 * hello check, the server's signalling and directory checks) uses this one value, so a token one of
 * them accepts is never refused by another for clock skew.
 */
export const CLOCK_TOLERANCE_S = 5

/**
 * How far a proof's timestamp may be from the verifier's clock, either way: two minutes. Wide enough for
 * an unsynchronised laptop, narrow enough that a captured proof is soon worth nothing; a verifier
 * remembers each accepted proof for this long so it is good only once.
 */
export const PROOF_WINDOW_MS = 120_000

/**
 * Longest Convene peer id: the prefix, three ids of up to {@link MAX_ID_LENGTH} UTF-16 code units (each
 * at most 3 UTF-8 bytes, 2 hex digits a byte) and two dashes.
 */
export const MAX_PEER_ID_LENGTH = 3 + 3 * MAX_ID_LENGTH * 3 * 2 + 2
