import { MeetingError } from '@convene/core'

/** How long the room directory may take to answer. */
const FETCH_TIMEOUT_MS = 10_000

/** The room directory's answer to a refused request: the cause of fetchRoom's `AUTH_FAILED`. */
export class DirectoryRefusal extends Error {
  constructor(
    /** The HTTP status (401 or 403). */
    readonly status: number,
    /** The body's `code`, such as `'UNAUTHORIZED'` (the token) or `'INVALID_PROOF'` (the proof). */
    readonly code: string | undefined,
    /** The body's `error`: the server's reason. */
    readonly reason: string | undefined,
  ) {
    super(`The room directory answered HTTP ${status}${reason === undefined ? '' : `: ${reason}`}`)
  }
}

/**
 * The peer ids the room directory lists for `meetingId` (see `@convene/server`). `headers` carry the
 * participant's credentials when the app uses auth: `Authorization: Bearer <token>`, and with a token
 * bound to the session key a single-use `Convene-Proof`, which a server with auth on requires. A
 * refusal (401, 403) rejects with `MeetingError('AUTH_FAILED')` carrying the server's reason, its
 * cause a {@link DirectoryRefusal}; any other failure with a plain `Error`.
 */
export async function fetchRoom(
  directoryUrl: string,
  meetingId: string,
  headers: Record<string, string> = {},
): Promise<string[]> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS)
  try {
    const response = await fetch(`${directoryUrl}/${encodeURIComponent(meetingId)}`, {
      cache: 'no-store',
      signal: controller.signal,
      headers,
    })
    if (!response.ok) {
      // The server's own reason (such as "the token has expired") says more than the status alone.
      const body = (await response.json().catch(() => ({}))) as { error?: unknown; code?: unknown }
      const reason = typeof body.error === 'string' ? body.error.slice(0, 200) : undefined
      const code = typeof body.code === 'string' ? body.code.slice(0, 40) : undefined
      const refusal = new DirectoryRefusal(response.status, code, reason)
      if (response.status === 401 || response.status === 403) {
        throw new MeetingError('AUTH_FAILED', refusal.message, { cause: refusal })
      }
      throw refusal
    }
    const body = (await response.json()) as { peers?: unknown }
    if (!Array.isArray(body.peers) || !body.peers.every((p) => typeof p === 'string')) {
      throw new Error('The room directory answered without a `peers` list')
    }
    return body.peers as string[]
  } finally {
    clearTimeout(timer)
  }
}
