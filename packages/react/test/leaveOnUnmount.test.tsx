import { createMemoryNetwork } from '@convene/core'
import { act, screen, waitFor } from '@testing-library/react'
import { expect, it } from 'vitest'
import { MeetingProvider, useMeeting } from '../src/index.js'
import { describeEachReactMode, fast, quietMs, recordingTransport, roomWithRemote, sleep } from './utils.js'

function State() {
  return <output>{useMeeting().meetingState}</output>
}

describeEachReactMode('leave on unmount', ({ mode, render }) => {
  it('joins once, shows the others no leave while mounted, and exactly one leave on unmount', async () => {
    const { remote: bob, transport, sessions } = await roomWithRemote('room')

    const { unmount } = render(
      <MeetingProvider
        config={{ meetingId: 'room', participant: { id: 'alice' }, ...fast }}
        transport={transport}
        joinOnMount
      >
        <State />
      </MeetingProvider>,
    )
    await screen.findByText('CONNECTED')
    await waitFor(() => expect(bob.events['participant-joined']).toHaveLength(1))
    // Long enough for a stray deferred leave, a second join or a departure timeout to show.
    await act(() => sleep(quietMs))

    expect(sessions, `${mode}: one transport session`).toHaveLength(1)
    expect(bob.events['participant-joined']).toHaveLength(1)
    expect(bob.events['participant-joined'][0]![0].id).toBe('alice')
    expect(bob.events['participant-left'], `${mode}: no leave while mounted`).toHaveLength(0)
    expect(bob.meeting.participants.has('alice')).toBe(true)

    unmount()

    await waitFor(() => expect(bob.events['participant-left']).toHaveLength(1))
    await act(() => sleep(quietMs))
    expect(bob.events['participant-left']).toHaveLength(1)
    expect(bob.events['participant-left'][0]![1]).toEqual({ reason: 'left' })
    expect(bob.events['participant-joined']).toHaveLength(1)
    expect(bob.meeting.participants.has('alice')).toBe(false)
  })

  it('unmounting before the join completed cancels it and leaves nobody behind', async () => {
    const { network, remote: bob } = await roomWithRemote('room')

    const { unmount } = render(
      <MeetingProvider
        config={{ meetingId: 'room', participant: { id: 'alice' }, ...fast }}
        transport={network.transport()}
        joinOnMount
      >
        <State />
      </MeetingProvider>,
    )
    unmount()
    await act(() => sleep(quietMs))

    expect(bob.meeting.participants.has('alice')).toBe(false)
    // Whatever bob saw of alice, he saw her go exactly as often as he saw her come.
    expect(bob.events['participant-left']).toHaveLength(bob.events['participant-joined'].length)
  })

  it('without joinOnMount nothing touches the transport until join()', async () => {
    const network = createMemoryNetwork()
    const { transport, sessions } = recordingTransport(network.transport())
    const { unmount } = render(
      <MeetingProvider config={{ meetingId: 'room', participant: { id: 'alice' } }} transport={transport}>
        <State />
      </MeetingProvider>,
    )
    await act(() => sleep(10))
    expect(screen.getByRole('status').textContent).toBe('DISCONNECTED')
    unmount()
    await act(() => sleep(10))
    expect(sessions).toHaveLength(0)
  })
})
