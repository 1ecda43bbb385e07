import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryNetwork, type Meeting } from '../src/index.js'
import { droppingLinks } from './support/droppedLink.js'
import { realTimeRoom } from './support/realTimeRoom.js'
import { createTestIssuer } from './support/tokens.js'

// With auth, a message counts only on a link whose channel proved, by a hello, who speaks on it. The
// PeerJS transport also hands core the host's END passed on by the signalling server (a WebRTC link can
// carry nothing for 10-27 s on a loaded machine), as a message on the host's address; and the link
// there may be down meanwhile, its peer connection closed and being redialled. An END in the own name
// of the session last proven at that address still counts there; nothing else does before a new hello.
const meetings: Meeting[] = []
afterEach(() => {
  for (const m of meetings.splice(0)) m.dispose()
})

async function room() {
  const issuer = await createTestIssuer()
  const network = createMemoryNetwork()
  const bobs = droppingLinks(network.transport())
  const { people, told } = await realTimeRoom({
    ids: ['alice', 'bob', 'carol'],
    transportFor: (id) => (id === 'bob' ? bobs.transport : network.transport()),
    extra: (id, role) => ({
      token: issuer.provider({ meetingId: 'standup', participantId: id, role }),
      auth: { jwks: issuer.jwks },
    }),
    meetings,
  })
  const address = (id: string) => [...bobs.control.up].find((linkId) => linkId.startsWith(`${id}-`))!
  const endOf = (session: string, origin = session) => ({ v: 1, session, seq: 1e6, type: 'end', origin })
  return { people, told, control: bobs.control, address, endOf }
}

describe("with auth, an END for a link that is down (the signalling server's copy)", () => {
  it("counts when it is the host's own, from the host's address", async () => {
    const { people, told, control, address, endOf } = await room()
    const alice = address('alice')
    control.drop(alice)
    control.deliver(alice, endOf(alice))
    await vi.waitFor(() => expect(told.bob).toEqual(['meeting-left:ended']))
    expect(people[1]!.meetingState).toBe('DISCONNECTED')
  })

  it("is refused and reported when it is a participant's own, and ignored in anyone else's name", async () => {
    const { people, told, control, address, endOf } = await room()
    const [alice, carol] = [address('alice'), address('carol')]
    control.drop(carol)
    control.drop(alice)
    control.deliver(carol, endOf(alice)) // the host's END, from another's address
    control.deliver(carol, endOf(carol, alice)) // relayed in the host's name
    control.deliver(alice, endOf(carol)) // another's END, at the host's address
    control.deliver(carol, endOf(carol)) // a participant ending the meeting
    await vi.waitFor(() => expect(told.bob).toEqual(['error:UNAUTHORIZED_COMMAND']))
    expect(people[1]!.meetingState).toBe('CONNECTED')
  })
})
