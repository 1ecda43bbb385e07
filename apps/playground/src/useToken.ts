import type { TokenResponse } from '@convene/server'
import { useEffect, useState } from 'react'
import { fetchToken } from './fetchToken.js'
import type { LobbyChoice } from './lobbyChoice.js'

export type TokenState =
  | { status: 'loading' }
  | { status: 'ready'; grant: TokenResponse }
  | { status: 'failed'; message: string }

/** This tab's token for the lobby's choice, fetched once per choice. */
export function useToken(choice: LobbyChoice): TokenState {
  const [state, setState] = useState<TokenState>({ status: 'loading' })
  useEffect(() => {
    const controller = new AbortController()
    setState({ status: 'loading' })
    fetchToken(choice, controller.signal).then(
      (grant) => setState({ status: 'ready', grant }),
      (error: unknown) => {
        if (!controller.signal.aborted)
          setState({ status: 'failed', message: String((error as Error).message ?? error) })
      },
    )
    return () => controller.abort()
  }, [choice])
  return state
}
