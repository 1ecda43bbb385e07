import type { TokenResponse } from '@convene/server'
import { useEffect, useState } from 'react'

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** "in 11 h 59 min", "in 4 min", "expired": how long the token has left, from `now`. */
export function timeLeft(expiresAt: number, now: number): string {
  const minutes = Math.floor((expiresAt - now) / 60_000)
  if (minutes < 0) return 'expired'
  if (minutes < 60) return `in ${minutes} min`
  const hours = Math.floor(minutes / 60)
  return minutes % 60 === 0 ? `in ${hours} h` : `in ${hours} h ${minutes % 60} min`
}

/** The time now, again every `everyMs`. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now)
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(timer)
  }, [everyMs])
  return now
}

/** What the token server granted this tab (id and role the meeting runs as), or that it is being asked. */
export function TokenStatus({ grant, failure }: { grant: TokenResponse | null; failure: string | null }) {
  const now = useNow(30_000)
  if (grant === null) {
    return (
      <p className="muted" data-testid="token" data-status="loading">
        Asking the Convene server for a token…
      </p>
    )
  }
  // A date as well as a time: a 12-hour token shown as a bare time reads as already expired.
  const expires = new Date(grant.expiresAt)
  return (
    <p className="muted" data-testid="token" data-status="granted">
      Token: <span data-testid="granted-id">{grant.participantId}</span> as{' '}
      <span data-testid="granted-role">{grant.role}</span>, bound to this session's key, valid until{' '}
      <time dateTime={expires.toISOString()} data-testid="token-expiry">
        {dateTime.format(expires)} ({timeLeft(expires.getTime(), now)})
      </time>
      {failure === null ? null : ` (last refresh failed: ${failure})`}
    </p>
  )
}
