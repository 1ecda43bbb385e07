import type { TokenProviderRequest } from '@convene/core'
import type { TokenResponse } from '@convene/server'
import { conveneServer } from './serverConfig.js'

/**
 * Asks the Convene server for a token, as any app's front end asks its backend: which meeting, who,
 * which role, and this session's public key, which the token then names (`cnf.jwk`) so that only this
 * session, holder of the private key, can use it. The server may grant other claims than those asked
 * (another id, a lesser role).
 */
export async function fetchToken(request: TokenProviderRequest): Promise<TokenResponse> {
  const response = await fetch(conveneServer.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      meetingId: request.meetingId,
      participantId: request.participantId,
      role: request.role,
      publicKey: request.publicKey,
    }),
  })
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: unknown }
    const why = typeof body.error === 'string' ? body.error : response.statusText
    throw new Error(`The token server refused (HTTP ${response.status}): ${why}`)
  }
  return (await response.json()) as TokenResponse
}
