/**
 * Closes a PeerJS connection or call, for `finalize`: a close that throws (a channel already torn
 * down under it) must not stop the rest of a teardown.
 */
export function closeQuietly(connection: { close(): void }): void {
  try {
    connection.close()
  } catch {
    // Closed already, as far as anyone can tell.
  }
}
