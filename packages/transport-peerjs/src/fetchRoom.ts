import { MeetingError } from '@convene/core'

/** How long the room directory may take to answer. */
const FETCH_TIMEOUT_MS = 10_000

/**
 * The peer ids the room directory lists for `meetingId` (see `@convene/server`). `token`, the
 * participant's token when the app uses auth, goes along as `Authorization: Bearer`, which a server
 * with auth on requires. A refusal of the token (401, 403) rejects with `MeetingError('AUTH_FAILED')`
 * carrying the server's reason; any other failure with a plain `Error`.
 */
export async function fetchRoom(directoryUrl: string, meetingId: string, token?: string): Promise<string[]> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS)
  try {
    const response = await fetch(`${directoryUrl}/${encodeURIComponent(meetingId)}`, {
      cache: 'no-store',
      signal: controller.signal,
      ...(token === undefined ? {} : { headers: { Authorization: `Bearer ${token}` } }),
    })
    if (!response.ok) {
      // The server's own reason (such as "the token has expired") says more than the status alone.
      const reason = await response
        .json()
        .then((body: { error?: unknown }) =>
          typeof body.error === 'string' ? `: ${body.error.slice(0, 200)}` : '',
        )
        .catch(() => '')
      const message = `The room directory answered HTTP ${response.status}${reason}`
      if (response.status === 401 || response.status === 403) throw new MeetingError('AUTH_FAILED', message)
      throw new Error(message)
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
