import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMeeting, createMemoryNetwork, type Meeting, type ParticipantRole } from '../src/index.js'
import { droppingLinks } from './support/droppedLink.js'
import { createTestIssuer } from './support/tokens.js'

// With auth, a message counts only on a link whose channel proved, by a hello, who speaks on it. The
// PeerJS transport also hands core the host's END passed on by the signalling server (a WebRTC link can
// carry nothing for 10-27 s on a loaded machine), as a message on the host's address; and the link
// there may be down meanwhile, its peer connection closed and being redialled. An END in the own name
// of the session last proven at that address still counts there; nothing else does before a new hello.
const roster = (m: Meeting) => [...m.participants.keys()].sort()
const meetings: Meeting[] = []
afterEach(() => {
  for (const m of meetings.splice(0)) m.dispose()
})

async function room() {
  const issuer = await createTestIssuer()
  const network = createMemoryNetwork()
  const bobs = droppingLinks(network.transport())
  const ids = ['alice', 'bob', 'carol']
  const told: Record<string, string[]> = {}
  const people = ids.map((id) => {
    const role: ParticipantRole = id === 'alice' ? 'host' : 'participant'
    const meeting = createMeeting({
      meetingId: 'standup',
      participant: { id, role },
      transport: id === 'bob' ? bobs.transport : network.transport(),
      createSessionId: () => `${id}-${Math.random().toString(36).slice(2, 10)}`,
      token: issuer.provider({ meetingId: 'standup', participantId: id, role }),
      auth: { jwks: issuer.jwks },
    })
    const lines: string[] = []
    told[id] = lines
    meeting.on('meeting-left', ({ reason }) => lines.push(`meeting-left:${reason}`))
    meeting.on('participant-left', (p, { reason }) => lines.push(`participant-left:${p.id}:${reason}`))
    meeting.on('error', (error) => lines.push(`error:${error.code}`))
    meetings.push(meeting)
    return meeting
  })
  for (const meeting of people) await meeting.join()
  for (const [i, meeting] of people.entries()) {
    await vi.waitFor(() => expect(roster(meeting)).toEqual(ids.filter((_, j) => j !== i).sort()), {
      timeout: 10_000,
    })
  }
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
