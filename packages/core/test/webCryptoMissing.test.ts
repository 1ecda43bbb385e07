import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMeeting, createMemoryNetwork, isMeetingError } from '../src/index.js'
import { createTestIssuer } from './support/tokens.js'

afterEach(() => {
  vi.unstubAllGlobals()
})

/** What `join()` with a token function rejects with, on a host shaped by `stub`. */
async function joinWithout(stub: () => void) {
  const issuer = await createTestIssuer()
  stub()
  const meeting = createMeeting({
    meetingId: 'standup',
    participant: { id: 'ada', role: 'host' },
    transport: createMemoryNetwork().transport(),
    token: issuer.provider({ meetingId: 'standup', participantId: 'ada', role: 'host' }),
    auth: { jwks: issuer.jwks },
  })
  const error = await meeting.join().then(
    () => null,
    (e: unknown) => e,
  )
  meeting.dispose()
  if (!isMeetingError(error)) throw new Error(`expected a MeetingError, got ${String(error)}`)
  return error
}

describe('join() with tokens where WebCrypto is missing names the real cause', () => {
  it('Node without a global crypto (Node 18): names the Node version and the one that works', async () => {
    const error = await joinWithout(() => vi.stubGlobal('crypto', undefined))
    expect(error.code).toBe('AUTH_FAILED')
    expect(error.message).toContain(`Node.js ${process.versions.node} has no global WebCrypto`)
    expect(error.message).toContain('use Node.js 20.19 or later')
    expect(error.message).not.toContain('secure context')
  })

  it('a browser page outside a secure context: says to serve it over https or from localhost', async () => {
    const error = await joinWithout(() => {
      vi.stubGlobal('crypto', { getRandomValues: (bytes: Uint8Array) => bytes })
      vi.stubGlobal('isSecureContext', false)
    })
    expect(error.code).toBe('AUTH_FAILED')
    expect(error.message).toContain('only in secure contexts: serve the app over https or from localhost')
    expect(error.message).not.toContain('Node.js')
  })

  it('a runtime whose crypto lacks subtle, in a secure context: says just that', async () => {
    const error = await joinWithout(() => vi.stubGlobal('crypto', { getRandomValues: (b: Uint8Array) => b }))
    expect(error.message).toContain('globalThis.crypto without its `subtle` member')
  })
})
