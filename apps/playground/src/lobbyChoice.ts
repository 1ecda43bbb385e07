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

/** The address that brings another tab or browser to the lobby of `meetingId`. */
export function inviteLink(meetingId: string): string {
  const url = new URL(location.pathname, location.origin)
  url.searchParams.set('meeting', meetingId)
  return url.href
}

const NAME_KEY = 'convene-playground:name'

/** The display name last used in this browser, kept across reloads and "Back to lobby". */
export function rememberedName(): string | null {
  try {
    return localStorage.getItem(NAME_KEY) || null
  } catch {
    return null // storage disabled: the lobby offers a guest name
  }
}

export function rememberName(name: string): void {
  try {
    if (name) localStorage.setItem(NAME_KEY, name)
  } catch {
    // storage disabled or full: the name is just not remembered
  }
}

export function putMeetingIdInUrl(meetingId: string): void {
  const url = new URL(location.href)
  url.searchParams.set('meeting', meetingId)
  history.replaceState(null, '', url)
}
