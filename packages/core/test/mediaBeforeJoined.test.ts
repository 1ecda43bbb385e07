/**
 * An app hears of a participant only after it was told it joined: a remote stream that arrives while
 * the meeting is still joining (the others call a joiner as soon as they admit it, and its join may
 * wait on someone slower) updates the roster silently, and the app finds it in `meeting-joined`.
 */
import { describe, expect, it, vi } from 'vitest'
import { createMeeting, createMemoryNetwork } from '../src/index.js'
import type { Transport, TransportEvent, TransportSessionOptions } from '../src/transport.js'

/**
 * A memory transport whose `ready` also lists a session that never answers (so the join waits for its
 * greeting timeout), and whose session events a test can add to.
 */
function slowToJoin(inner: Transport) {
  let push: ((event: TransportEvent) => void) | undefined
  const messagesFrom = new Set<string>()
  const transport: Transport = {
    ...inner,
    session(options: TransportSessionOptions) {
      const session = inner.session(options)
      return {
        ...session,
        events: {
          subscribe(observer) {
            push = (event) => observer.next?.(event)
            return session.events.subscribe({
              ...observer,
              next: (event) => {
                if (event.type === 'message') messagesFrom.add(event.linkId)
                observer.next?.(
                  event.type === 'ready' ? { ...event, peers: [...event.peers, 'silent'] } : event,
                )
              },
            })
          },
        },
      }
    },
  }
  return { transport, messagesFrom, push: (event: TransportEvent) => push?.(event) }
}

describe('a remote stream while joining', () => {
  it('is not told before meeting-joined, and the joined roster carries it', { timeout: 15_000 }, async () => {
    const network = createMemoryNetwork()
    const alice = createMeeting({
      meetingId: 'media-first',
      participant: { id: 'alice', role: 'host' },
      transport: network.transport(),
    })
    await alice.join()
    const tap = slowToJoin(network.transport())
    const bob = createMeeting({
      meetingId: 'media-first',
      participant: { id: 'bob' },
      transport: tap.transport,
    })
    const heard: string[] = []
    bob.on('meeting-joined', () => heard.push('meeting-joined'))
    bob.on('participant-joined', (p) => heard.push(`participant-joined ${p.id}`))
    bob.on('participant-media-changed', (p) => heard.push(`participant-media-changed ${p.id}`))
    const joined = bob.join()
    const link = alice.localParticipant.sessionId
    // Alice's hello has reached bob, who is still joining (the silent session holds him there).
    await vi.waitFor(() => expect(tap.messagesFrom.has(link)).toBe(true))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(bob.meetingState).not.toBe('CONNECTED')
    const stream = { id: 'alice-camera' }
    tap.push({ type: 'media', linkId: link, stream })
    await joined
    expect(heard[0]).toBe('meeting-joined')
    expect(heard).not.toContain('participant-media-changed alice')
    expect(bob.participants.get('alice')?.stream).toBe(stream)
    alice.dispose()
    bob.dispose()
  })
})
