import { act, fireEvent, screen, waitFor } from '@testing-library/react'
import { expect, it } from 'vitest'
import { MeetingProvider, useMeeting } from '../src/index.js'
import { describeEachReactMode, fast, quietMs, roomWithRemote, sleep } from './utils.js'

function Controls() {
  const { join, leave, meetingState } = useMeeting()
  return (
    <>
      <output>{meetingState}</output>
      <button type="button" onClick={() => join()}>
        Join
      </button>
      <button type="button" onClick={() => leave()}>
        Leave
      </button>
    </>
  )
}

describeEachReactMode('join after leave', ({ render }) => {
  it('starts a fresh session in the same provider', async () => {
    const { remote: bob, transport, sessions } = await roomWithRemote('j')
    render(
      <MeetingProvider
        config={{ meetingId: 'j', participant: { id: 'alice' }, ...fast }}
        transport={transport}
      >
        <Controls />
      </MeetingProvider>,
    )
    expect(screen.getByRole('status').textContent).toBe('DISCONNECTED')

    fireEvent.click(screen.getByText('Join'))
    await screen.findByText('CONNECTED')
    fireEvent.click(screen.getByText('Leave'))
    await screen.findByText('DISCONNECTED')
    await waitFor(() => expect(bob.events['participant-left']).toHaveLength(1))
    fireEvent.click(screen.getByText('Join'))
    await screen.findByText('CONNECTED')
    await waitFor(() => expect(bob.events['participant-joined']).toHaveLength(2))
    await act(() => sleep(quietMs))

    expect(sessions).toHaveLength(2)
    expect(sessions[0]!.sessionId).not.toBe(sessions[1]!.sessionId)
    const [first, second] = bob.events['participant-joined'].map(([p]) => p.sessionId)
    expect(first).not.toBe(second)
    expect(bob.events['participant-left']).toHaveLength(1)
    expect(bob.meeting.participants.get('alice')?.sessionId).toBe(second)
  })
})
