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
  // `?meeting=` with nothing in it is no invite: a fresh id is offered instead of an empty one.
  return new URLSearchParams(location.search).get('meeting')?.trim() || null
}

/** The address that brings another tab or browser to the lobby of `meetingId`. */
export function inviteLink(meetingId: string): string {
  const url = new URL(location.pathname, location.origin)
  url.searchParams.set('meeting', meetingId)
  return url.href
}

const NAME_KEY = 'convene-playground:name'

/**
 * Where a name is kept. localStorage (shared by every tab of the browser) holds only a name the
 * user typed, offered when starting a meeting. sessionStorage (this tab's own) holds the name this
 * tab joined with, so a reload or "Back to lobby" keeps it. A tab opened from an invite link is
 * another participant: it never takes the name of the tab that invited it.
 */
const store = (kind: 'local' | 'session'): Storage => (kind === 'local' ? localStorage : sessionStorage)

function read(kind: 'local' | 'session'): string | null {
  try {
    return store(kind).getItem(NAME_KEY) || null
  } catch {
    return null // storage disabled: the lobby offers a guest name
  }
}

function write(kind: 'local' | 'session', name: string): void {
  try {
    if (name) store(kind).setItem(NAME_KEY, name)
  } catch {
    // storage disabled or full: the name is just not remembered
  }
}

/** The name to offer: this tab's own, else (not for an invite) the name last typed in this browser. */
export function rememberedName(invited: boolean): string | null {
  return read('session') ?? (invited ? null : read('local'))
}

/** The user typed `name`: offer it in this tab and when this browser starts a meeting. */
export function rememberTypedName(name: string): void {
  write('session', name)
  write('local', name)
}

/** This tab joined as `name` (typed or a generated guest name): keep it for this tab only. */
export function rememberTabName(name: string): void {
  write('session', name)
}

export function putMeetingIdInUrl(meetingId: string): void {
  const url = new URL(location.href)
  url.searchParams.set('meeting', meetingId)
  history.replaceState(null, '', url)
}
