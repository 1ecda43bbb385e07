/** How long the room directory may take to answer. */
const FETCH_TIMEOUT_MS = 10_000

/** The peer ids the room directory lists for `meetingId` (see `@convene/server`). */
export async function fetchRoom(directoryUrl: string, meetingId: string): Promise<string[]> {
  const controller = new AbortController()
  const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS)
  try {
    const response = await fetch(`${directoryUrl}/${encodeURIComponent(meetingId)}`, {
      cache: 'no-store',
      signal: controller.signal,
    })
    if (!response.ok) throw new Error(`The room directory answered HTTP ${response.status}`)
    const body = (await response.json()) as { peers?: unknown }
    if (!Array.isArray(body.peers) || !body.peers.every((p) => typeof p === 'string')) {
      throw new Error('The room directory answered without a `peers` list')
    }
    return body.peers as string[]
  } finally {
    clearTimeout(timer)
  }
}
