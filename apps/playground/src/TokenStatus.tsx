import type { TokenResponse } from '@convene/server'

/** What the token server granted this tab (id and role the meeting runs as), or that it is being asked. */
export function TokenStatus({ grant, failure }: { grant: TokenResponse | null; failure: string | null }) {
  if (grant === null) {
    return (
      <p className="muted" data-testid="token" data-status="loading">
        Asking the Convene server for a token…
      </p>
    )
  }
  const until = new Date(grant.expiresAt).toLocaleTimeString()
  return (
    <p className="muted" data-testid="token" data-status="granted">
      Token: <span data-testid="granted-id">{grant.participantId}</span> as{' '}
      <span data-testid="granted-role">{grant.role}</span>, bound to this session's key, until {until}
      {failure === null ? null : ` (last refresh failed: ${failure})`}
    </p>
  )
}
