import type { ParticipantRole } from '@convene/core'

/** What the lobby hands to the meeting view. */
export interface LobbyChoice {
  meetingId: string
  /** Fresh per tab, so several tabs are several participants. */
  participantId: string
  name: string
  role: ParticipantRole
  camera: boolean
  microphone: boolean
}

const shortId = () => crypto.randomUUID().slice(0, 8)

export const freshMeetingId = () => `room-${shortId()}`
export const freshParticipantId = () => `p-${shortId()}`

/** `?meeting=<id>` in the address pre-fills the lobby, so a copied URL joins the same meeting. */
export function meetingIdFromUrl(): string | null {
  return new URLSearchParams(location.search).get('meeting')
}

export function putMeetingIdInUrl(meetingId: string): void {
  const url = new URL(location.href)
  url.searchParams.set('meeting', meetingId)
  history.replaceState(null, '', url)
}
