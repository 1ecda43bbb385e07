import type { ParticipantRole } from '@convene/core'
import { MAX_NAME_LENGTH, type RelayError, type RelayMember } from '@convene/core/wire'

/** What the relay vouches for about a session, before it has a socket id. */
export type MemberRecord = Omit<RelayMember, 'sid'>

/** Who the handshake check found: the address, and with `auth` the token's participant and role. */
export interface CheckedIdentity {
  address: string
  participantId: string
  /** The token's `role` claim; `null` without one, or without `auth`. */
  tokenRole: ParticipantRole | null
  /** A token and proof of possession were checked. */
  verified: boolean
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null
const isTime = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
const isMedia = (value: unknown): value is { mic: boolean; webcam: boolean } =>
  isObject(value) && typeof value.mic === 'boolean' && typeof value.webcam === 'boolean'

/**
 * The record the relay vouches for: who the session is from its address and (with `auth`) its verified
 * token, and what it presented of itself in its handshake (`RelayHandshakeAuth`: name, when it started,
 * its microphone and camera). A presented role the token does not grant is refused, never lowered: the
 * client asked for what it may not have. Without `auth` the presented role stands (development).
 */
export function attestMember(auth: unknown, who: CheckedIdentity): MemberRecord | RelayError {
  const { name, role, joinedAt, media } = isObject(auth) ? auth : {}
  const bad = (error: string): RelayError => ({ code: 'INVALID_MESSAGE', error })
  if (name !== undefined && (typeof name !== 'string' || name.length > MAX_NAME_LENGTH)) {
    return bad(`\`auth.name\` must be a string of at most ${MAX_NAME_LENGTH} characters`)
  }
  if (role !== undefined && role !== 'host' && role !== 'participant') {
    return bad('`auth.role` must be "host" or "participant"')
  }
  if (joinedAt !== undefined && !isTime(joinedAt)) return bad('`auth.joinedAt` must be ms since the epoch')
  if (media !== undefined && !isMedia(media))
    return bad('`auth.media` must be { mic: boolean, webcam: boolean }')
  let granted: ParticipantRole = role ?? 'participant'
  if (who.verified) {
    if (who.tokenRole === null) return { code: 'UNAUTHORIZED', error: 'the token has no role claim' }
    if (role !== undefined && role !== who.tokenRole) {
      return { code: 'UNAUTHORIZED', error: `the token grants the role "${who.tokenRole}", not "${role}"` }
    }
    granted = who.tokenRole
  }
  return {
    address: who.address,
    role: granted,
    name: name || who.participantId,
    joinedAt: joinedAt ?? Date.now(),
    media: media ? { mic: media.mic, webcam: media.webcam } : { mic: true, webcam: true },
    verified: who.verified,
  }
}
