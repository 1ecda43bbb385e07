import type { ParticipantRole } from '@convene/core'
import { type RelayError, type RelayMember, readFields, readPresentedSelf } from '@convene/core/wire'

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

/**
 * The record the relay vouches for: who the session is from its address and (with `auth`) its verified
 * token, and what it presented of itself in its handshake (`RelayHandshakeAuth`: name, when it started,
 * its microphone and camera). A presented role the token does not grant is refused, never lowered: the
 * client asked for what it may not have. Without `auth` the presented role stands (development).
 */
export function attestMember(auth: unknown, who: CheckedIdentity): MemberRecord | RelayError {
  // Read as every wire format is, with the field readers of `@convene/core/wire`.
  const presented = readFields((fail) => readPresentedSelf(auth, fail))
  if (!presented.ok) return { code: 'INVALID_MESSAGE', error: presented.reason }
  const { name, role, joinedAt, media } = presented.value
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
    media: media ?? { mic: true, webcam: true },
    verified: who.verified,
  }
}
