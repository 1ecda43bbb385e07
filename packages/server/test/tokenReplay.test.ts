import { type CreateMeetingOptions, type Transport, tapTransport } from '@convene/core'
import { describe, expect, it, vi } from 'vitest'
import { eventually, honestMeeting, settle } from './honestMeeting.js'

describe('every hello shows its token to every peer, but a token is bound to its session key', () => {
  /** A transport that hands every token seen in a hello to `seen`, as a modified client could. */
  const sniffing = (inner: Transport, seen: string[]): Transport =>
    tapTransport(inner, {
      event(event) {
        const data = event.type === 'message' ? (event.data as { type?: string; token?: string }) : null
        if (data?.type === 'hello' && data.token) seen.push(data.token)
      },
    })

  it.each<[string, (hostToken: string) => CreateMeetingOptions['token']]>([
    ['as is (no key, no proof)', (hostToken) => hostToken],
    ['with a key of its own (a proof by the wrong key)', (hostToken) => async () => hostToken],
  ])(
    "a participant replaying the host's token captured from its hello gets nothing: %s",
    async (_l, replay) => {
      const ctx = await honestMeeting()
      const seen: string[] = []
      const carol = await ctx.person('carol', 'participant', {
        transport: sniffing(ctx.network.transport(), seen),
      })
      await carol.join()
      await vi.waitFor(() => expect(seen.length).toBeGreaterThanOrEqual(2), { timeout: 5000 })
      const hostToken = seen.find((t) => JSON.parse(atob(t.split('.')[1]!)).role === 'host')
      expect(hostToken).toBeDefined()
      const impostor = ctx.intruder('alice', 'host', replay(hostToken!))
      await impostor.join().catch(() => {})
      await vi.waitFor(
        () => expect(ctx.errors.bob!.filter((e) => e.code === 'AUTH_FAILED').length).toBeGreaterThan(0),
        eventually,
      )
      expect(ctx.alice.meetingState).toBe('CONNECTED')
      expect(ctx.bob.participants.get('alice')?.sessionId).toBe(ctx.alice.localParticipant.sessionId)
      await impostor.end().catch(() => {})
      await settle()
      expect(ctx.bob.meetingState).toBe('CONNECTED')
      expect(ctx.bob.participants.get('alice')?.sessionId).toBe(ctx.alice.localParticipant.sessionId)
    },
  )
})
