import { createMemoryNetwork } from '@convene/core'
import { act, screen } from '@testing-library/react'
import { expect, it } from 'vitest'
import { MeetingProvider, useMeeting, useParticipant } from '../src/index.js'
import { describeEachReactMode, fast, remoteParticipant } from './utils.js'

function Tile({ id }: { id: string }) {
  const { participant, isLocal, stream, displayName } = useParticipant(id)
  const text = participant
    ? `${displayName} ${isLocal ? 'local' : 'remote'} ${participant.role} ${stream}`
    : 'absent'
  return <li>{`${id}: ${text}`}</li>
}

function Roster() {
  const { localParticipant, participants } = useMeeting()
  return (
    <ul>
      {[localParticipant.id, ...participants.keys()].map((id) => (
        <Tile key={id} id={id} />
      ))}
      <Tile id="zoe" />
    </ul>
  )
}

describeEachReactMode('useParticipant', ({ render }) => {
  it('tells local from remote, follows arrivals and departures, and is undefined for strangers', async () => {
    const network = createMemoryNetwork()
    render(
      <MeetingProvider
        config={{ meetingId: 'p', participant: { id: 'alice', name: 'Alice', role: 'host' }, ...fast }}
        transport={network.transport()}
        joinOnMount
      >
        <Roster />
      </MeetingProvider>,
    )
    await screen.findByText('alice: Alice local host null')
    expect(screen.getByText('zoe: absent')).toBeTruthy()

    const bob = remoteParticipant({
      meetingId: 'p',
      participant: { id: 'bob', name: 'Bob' },
      transport: network.transport(),
    })
    await act(() => bob.meeting.join())
    await screen.findByText('bob: Bob remote participant null')

    await act(() => bob.meeting.leave())
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, fast.leaveTimeoutMs))
    })
    expect(screen.queryByText(/^bob:/)).toBeNull()
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'alice: Alice local host null',
      'zoe: absent',
    ])
  })
})
