/**
 * A link that drops and comes back to the same session under the same id (PeerJS names a link by the
 * remote session's address, so a network blip does exactly this): that participant's media must follow
 * it again, as on a new link.
 */
import { describe, expect, it, vi } from 'vitest'
import { createMeeting, createMemoryNetwork } from '../src/index.js'
import type { Transport, TransportEvent, TransportSessionOptions } from '../src/transport.js'

/** A memory transport whose session events a test can add to, and whose admitted links it records. */
function tapped(inner: Transport) {
  const admitted: string[] = []
  let push: ((event: TransportEvent) => void) | undefined
  const transport: Transport = {
    ...inner,
    session(options: TransportSessionOptions) {
      const session = inner.session(options)
      return {
        ...session,
        admitLink: (linkId: string) => admitted.push(linkId),
        events: {
          subscribe(observer) {
            push = (event) => observer.next?.(event)
            return session.events.subscribe(observer)
          },
        },
      }
    },
  }
  return { transport, admitted, push: (event: TransportEvent) => push?.(event) }
}

describe('a link back under the same id', () => {
  it('is admitted again and carries the participant’s media again', { timeout: 10_000 }, async () => {
    const network = createMemoryNetwork()
    const tap = tapped(network.transport())
    const alice = createMeeting({
      meetingId: 'blip',
      participant: { id: 'alice', role: 'host' },
      transport: tap.transport,
    })
    const bob = createMeeting({
      meetingId: 'blip',
      participant: { id: 'bob' },
      transport: network.transport(),
    })
    await alice.join()
    await bob.join()
    const link = bob.localParticipant.sessionId
    await vi.waitFor(() => expect(tap.admitted).toContain(link))
    tap.push({ type: 'link-down', linkId: link })
    tap.push({ type: 'link-up', linkId: link })
    // The first thing bob says on it (a heartbeat, or the reply to alice's hello) brings the link back.
    await vi.waitFor(() => expect(tap.admitted.filter((id) => id === link)).toHaveLength(2), {
      timeout: 5_000,
    })
    const stream = { id: 'bob-camera' }
    tap.push({ type: 'media', linkId: link, stream })
    expect(alice.participants.get('bob')?.stream).toBe(stream)
    expect(alice.participants.get('bob')?.sessionId).toBe(link)
    alice.dispose()
    bob.dispose()
  })
})
