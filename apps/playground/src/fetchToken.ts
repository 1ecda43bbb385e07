import type { TokenResponse } from '@convene/server'
import type { LobbyChoice } from './lobbyChoice.js'
import { conveneServer } from './serverConfig.js'

/**
 * Asks the Convene server for this tab's token, as any app's front end asks its backend. The server
 * may grant other claims than those asked (another id, a lesser role): the meeting uses what it got.
 */
export async function fetchToken(choice: LobbyChoice, signal?: AbortSignal): Promise<TokenResponse> {
  const response = await fetch(conveneServer.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      meetingId: choice.meetingId,
      participantId: choice.participantId,
      role: choice.role,
    }),
    signal,
  })
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: unknown }
    const why = typeof body.error === 'string' ? body.error : response.statusText
    throw new Error(`The token server refused (HTTP ${response.status}): ${why}`)
  }
  return (await response.json()) as TokenResponse
}
