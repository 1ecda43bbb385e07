import { createMemoryNetwork, type MeetingLeftReason, type Participant } from '@convene/core'
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react'
import { expect, it, vi } from 'vitest'
import { MeetingProvider, useMeeting } from '../src/index.js'
import { describeEachReactMode, fast, quietMs, remoteParticipant, roomWithRemote, sleep } from './utils.js'

// The seed's example (VideoSDK "Leave or End Meeting"), as written but for the import.
function MeetingView({
  onMeetingLeft,
  onParticipantLeft,
}: {
  onMeetingLeft: (info: { reason: MeetingLeftReason }) => void
  onParticipantLeft: (participant: Participant) => void
}) {
  const { leave, end, meetingState } = useMeeting({
    onMeetingLeft,
    onParticipantLeft,
  })

  const handleLeaveMeeting = () => {
    leave()
  }

  const handleEndMeeting = () => {
    end()
  }

  return (
    <>
      <output>{meetingState}</output>
      <button type="button" onClick={handleLeaveMeeting}>
        Leave Meeting
      </button>
      <button type="button" onClick={handleEndMeeting}>
        End Meeting
      </button>
    </>
  )
}

describeEachReactMode('the seed MeetingView', ({ render }) => {
  async function setUp() {
    const { network, remote: bob } = await roomWithRemote('standup')
    const onMeetingLeft = vi.fn()
    const onParticipantLeft = vi.fn()
    render(
      <MeetingProvider
        config={{ meetingId: 'standup', participant: { id: 'alice', role: 'host' }, ...fast }}
        transport={network.transport()}
        joinOnMount
      >
        <MeetingView onMeetingLeft={onMeetingLeft} onParticipantLeft={onParticipantLeft} />
      </MeetingProvider>,
    )
    await screen.findByText('CONNECTED')
    await waitFor(() => expect(bob.meeting.participants.has('alice')).toBe(true))
    return { bob, onMeetingLeft, onParticipantLeft }
  }

  it('Leave: the other participant observes participant-left once, the local one meeting-left', async () => {
    const { bob, onMeetingLeft, onParticipantLeft } = await setUp()

    fireEvent.click(screen.getByText('Leave Meeting'))

    await waitFor(() => expect(onMeetingLeft).toHaveBeenCalledTimes(1))
    expect(onMeetingLeft).toHaveBeenCalledWith({ reason: 'left' })
    await waitFor(() => expect(bob.events['participant-left']).toHaveLength(1))
    // Past bob's departure timeout: a goodbye must not be followed by a second, "disconnected" departure.
    await act(() => sleep(quietMs))
    expect(bob.events['participant-left']).toHaveLength(1)
    const [participant, info] = bob.events['participant-left'][0]!
    expect(participant.id).toBe('alice')
    expect(info).toEqual({ reason: 'left' })
    expect(bob.events['meeting-left']).toHaveLength(0)
    expect(onParticipantLeft).not.toHaveBeenCalled()
    expect(onMeetingLeft).toHaveBeenCalledTimes(1)
    expect(screen.getByRole('status').textContent).toBe('DISCONNECTED')
  })

  it('End by the host: both participants get meeting-left with reason "ended"', async () => {
    const { bob, onMeetingLeft, onParticipantLeft } = await setUp()

    fireEvent.click(screen.getByText('End Meeting'))

    await waitFor(() => expect(onMeetingLeft).toHaveBeenCalledTimes(1))
    expect(onMeetingLeft).toHaveBeenCalledWith({ reason: 'ended' })
    await waitFor(() => expect(bob.events['meeting-left']).toEqual([[{ reason: 'ended' }]]))
    await act(() => sleep(quietMs))
    // No participant-left storm on either side, and each session ended exactly once.
    expect(bob.events['participant-left']).toHaveLength(0)
    expect(onParticipantLeft).not.toHaveBeenCalled()
    expect(onMeetingLeft).toHaveBeenCalledTimes(1)
    expect(bob.events['meeting-left']).toHaveLength(1)
  })

  it('End by someone who may not: nothing changes, and the refusal is no unhandled rejection', async () => {
    const network = createMemoryNetwork()
    const host = remoteParticipant({
      meetingId: 'standup',
      participant: { id: 'host', role: 'host' },
      transport: network.transport(),
    })
    await host.meeting.join()
    const onMeetingLeft = vi.fn()
    render(
      <MeetingProvider
        config={{ meetingId: 'standup', participant: { id: 'guest' }, ...fast }}
        transport={network.transport()}
        joinOnMount
      >
        <MeetingView onMeetingLeft={onMeetingLeft} onParticipantLeft={vi.fn()} />
      </MeetingProvider>,
    )
    await screen.findByText('CONNECTED')
    await waitFor(() => expect(host.meeting.participants.has('guest')).toBe(true))

    fireEvent.click(screen.getByText('End Meeting'))
    await act(() => sleep(quietMs))

    expect(screen.getByRole('status').textContent).toBe('CONNECTED')
    expect(onMeetingLeft).not.toHaveBeenCalled()
    expect(host.events['meeting-left']).toHaveLength(0)
    expect(host.events['participant-left']).toHaveLength(0)
  })
})

describeEachReactMode('two MeetingViews on one network', ({ render }) => {
  it("Leave in one view fires the other view's onParticipantLeft once", async () => {
    const network = createMemoryNetwork()
    const spies = {
      alice: { onMeetingLeft: vi.fn(), onParticipantLeft: vi.fn() },
      bob: { onMeetingLeft: vi.fn(), onParticipantLeft: vi.fn() },
    }
    const view = (id: 'alice' | 'bob') => (
      <section aria-label={id}>
        <MeetingProvider
          config={{
            meetingId: 'pair',
            participant: { id, role: id === 'alice' ? 'host' : 'participant' },
            ...fast,
          }}
          transport={network.transport()}
          joinOnMount
        >
          <MeetingView {...spies[id]} />
        </MeetingProvider>
      </section>
    )
    render(
      <>
        {view('alice')}
        {view('bob')}
      </>,
    )
    const alice = within(screen.getByRole('region', { name: 'alice' }))
    const bob = within(screen.getByRole('region', { name: 'bob' }))
    await alice.findByText('CONNECTED')
    await bob.findByText('CONNECTED')
    await act(() => sleep(fast.heartbeatIntervalMs * 2))

    fireEvent.click(alice.getByText('Leave Meeting'))

    await waitFor(() => expect(spies.bob.onParticipantLeft).toHaveBeenCalledTimes(1))
    await act(() => sleep(quietMs))
    expect(spies.bob.onParticipantLeft).toHaveBeenCalledTimes(1)
    expect(spies.bob.onParticipantLeft.mock.calls[0]![0]).toMatchObject({ id: 'alice' })
    expect(spies.bob.onParticipantLeft.mock.calls[0]![1]).toEqual({ reason: 'left' })
    expect(spies.alice.onMeetingLeft).toHaveBeenCalledTimes(1)
    expect(spies.bob.onMeetingLeft).not.toHaveBeenCalled()
    expect(alice.getByRole('status').textContent).toBe('DISCONNECTED')
    expect(bob.getByRole('status').textContent).toBe('CONNECTED')
  })
})
