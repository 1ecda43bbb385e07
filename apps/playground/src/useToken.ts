import type { ParticipantRole, TokenProvider } from '@convene/core'
import type { TokenResponse } from '@convene/server'
import { useCallback, useState } from 'react'
import { fetchToken } from './fetchToken.js'
import type { LobbyChoice } from './lobbyChoice.js'
import { testHook } from './testHook.js'

/** Who the meeting joins as. */
export interface TokenIdentity {
  meetingId: string
  participantId: string
  role: ParticipantRole
}

export interface UseTokenResult {
  /** The lobby's choice, until the server grants something else: then what it granted. */
  identity: TokenIdentity
  /** The server's last grant, once there is one. */
  grant: TokenResponse | null
  /** Why the last request failed, if it did. */
  failure: string | null
  /**
   * The meeting's `token` option. Core calls it at every join (with a new key each time) and again
   * before the token expires. The same function for the whole session, whatever re-renders.
   */
  token: TokenProvider
}

/** This tab's token function for the lobby's choice, and what the token server said so far. */
export function useToken(choice: LobbyChoice): UseTokenResult {
  const [identity, setIdentity] = useState<TokenIdentity>(() => ({
    meetingId: choice.meetingId,
    participantId: choice.participantId,
    role: choice.role,
  }))
  const [grant, setGrant] = useState<TokenResponse | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const token = useCallback<TokenProvider>(async (request) => {
    testHook.tokenRequests += 1
    let granted: TokenResponse
    try {
      granted = await fetchToken(request)
    } catch (error) {
      setFailure(String((error as Error).message ?? error))
      throw error
    }
    setGrant(granted)
    setFailure(null)
    if (
      granted.meetingId !== request.meetingId ||
      granted.participantId !== request.participantId ||
      granted.role !== request.role
    ) {
      // A token is good only for the identity it names: the meeting is made again as the grant says,
      // and that one's join asks again, with its own key.
      setIdentity({ meetingId: granted.meetingId, participantId: granted.participantId, role: granted.role })
      throw new Error(`The server granted ${granted.participantId} as ${granted.role}; joining as that.`)
    }
    return granted.token
  }, [])
  return { identity, grant, failure, token }
}
