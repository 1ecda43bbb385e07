import { createMemoryNetwork, type MeetingError, PROTOCOL_VERSION } from '@convene/core'
import { act, fireEvent, screen, waitFor } from '@testing-library/react'
import { useEffect } from 'react'
import { expect, it, vi } from 'vitest'
import { MeetingProvider, type UseMeetingOptions, useMeeting } from '../src/index.js'
import { describeEachReactMode, fast, quietMs, remoteParticipant, roomWithRemote, sleep } from './utils.js'

function Room(callbacks: UseMeetingOptions) {
  const { removeParticipant, participants, meetingState } = useMeeting(callbacks)
  return (
    <>
      <output>{`${meetingState} ${[...participants.keys()].join(',')}`}</output>
      <button type="button" onClick={() => removeParticipant('bob')}>
        Remove bob
      </button>
    </>
  )
}

// VideoSDK's own examples join from an effect of the meeting view instead of the provider.
function JoinOnMountView() {
  const { join, meetingState } = useMeeting()
  useEffect(() => {
    join()
  }, [join])
  return <output>{meetingState}</output>
}

describeEachReactMode('core events through useMeeting', ({ render }) => {
  it("removeParticipant by the host: bob's session ends 'removed', the host sees him leave once", async () => {
    const { network, remote: bob } = await roomWithRemote('e')
    const onParticipantLeft = vi.fn()
    render(
      <MeetingProvider
        config={{ meetingId: 'e', participant: { id: 'alice', role: 'host' }, ...fast }}
        transport={network.transport()}
        joinOnMount
      >
        <Room onParticipantLeft={onParticipantLeft} />
      </MeetingProvider>,
    )
    await screen.findByText('CONNECTED bob')

    fireEvent.click(screen.getByText('Remove bob'))

    await waitFor(() => expect(bob.events['meeting-left']).toEqual([[{ reason: 'removed' }]]))
    await screen.findByText('CONNECTED')
    await act(() => sleep(quietMs))
    expect(onParticipantLeft).toHaveBeenCalledTimes(1)
    expect(onParticipantLeft.mock.calls[0]![0]).toMatchObject({ id: 'bob' })
    expect(onParticipantLeft.mock.calls[0]![1]).toEqual({ reason: 'removed' })
  })

  it("a crashed participant leaves once, as 'disconnected', within the departure timeout", async () => {
    const network = createMemoryNetwork()
    const onParticipantLeft = vi.fn()
    render(
      <MeetingProvider
        config={{ meetingId: 'e', participant: { id: 'alice' }, ...fast }}
        transport={network.transport()}
        joinOnMount
      >
        <Room onParticipantLeft={onParticipantLeft} />
      </MeetingProvider>,
    )
    await screen.findByText('CONNECTED')
    const bob = remoteParticipant({
      meetingId: 'e',
      participant: { id: 'bob' },
      transport: network.transport(),
    })
    await act(() => bob.meeting.join())
    await screen.findByText('CONNECTED bob')

    network.crash('bob')

    await waitFor(() => expect(onParticipantLeft).toHaveBeenCalledTimes(1), {
      timeout: fast.departureTimeoutMs * 8,
    })
    await act(() => sleep(quietMs))
    expect(onParticipantLeft).toHaveBeenCalledTimes(1)
    expect(onParticipantLeft.mock.calls[0]![1]).toEqual({ reason: 'disconnected' })
    expect(screen.getByRole('status').textContent).toBe('CONNECTED ')
  })

  it('an invalid inbound message reaches onError and changes nothing', async () => {
    const network = createMemoryNetwork()
    const onError = vi.fn<(error: MeetingError) => void>()
    render(
      <MeetingProvider
        config={{ meetingId: 'e', participant: { id: 'alice' }, ...fast }}
        transport={network.transport()}
        joinOnMount
      >
        <Room onError={onError} />
      </MeetingProvider>,
    )
    await screen.findByText('CONNECTED')

    act(() => {
      network.inject('alice', { v: PROTOCOL_VERSION, type: 'nonsense' })
    })

    await waitFor(() => expect(onError).toHaveBeenCalledTimes(1))
    expect(onError.mock.calls[0]![0].code).toBe('INVALID_MESSAGE')
    await act(() => sleep(fast.heartbeatIntervalMs * 2))
    expect(onError).toHaveBeenCalledTimes(1)
    expect(screen.getByRole('status').textContent).toBe('CONNECTED ')
  })

  it('join() from an effect of the view (VideoSDK style) also joins once and shows no leave', async () => {
    const { remote: bob, transport, sessions } = await roomWithRemote('e')
    const { unmount } = render(
      <MeetingProvider
        config={{ meetingId: 'e', participant: { id: 'alice' }, ...fast }}
        transport={transport}
      >
        <JoinOnMountView />
      </MeetingProvider>,
    )
    await screen.findByText('CONNECTED')
    await act(() => sleep(quietMs))
    expect(sessions).toHaveLength(1)
    expect(bob.events['participant-joined']).toHaveLength(1)
    expect(bob.events['participant-left']).toHaveLength(0)

    unmount()
    await waitFor(() => expect(bob.events['participant-left']).toHaveLength(1))
    expect(bob.events['participant-left'][0]![1]).toEqual({ reason: 'left' })
  })
})
