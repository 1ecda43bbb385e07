import type { Meeting } from '@convene/core'
import { act, screen, waitFor } from '@testing-library/react'
import { expect, it } from 'vitest'
import { MeetingProvider, useMeeting, useMeetingInstance } from '../src/index.js'
import { describeEachReactMode, fast, quietMs, roomWithRemote, sleep } from './utils.js'

// The app may dispose of the provider's meeting itself (useMeetingInstance().dispose()): the hooks must
// then show a meeting that is over, not the live one they last read.

function View({ seen }: { seen: { meeting?: Meeting; left: string[] } }) {
  seen.meeting = useMeetingInstance()
  const { status, canEnd, endReason, meetingState, participants } = useMeeting({
    onMeetingLeft: ({ reason }) => seen.left.push(reason),
  })
  return (
    <output>{`${status} ${meetingState} canEnd=${canEnd} ${endReason} others=${participants.size}`}</output>
  )
}

describeEachReactMode('dispose of the provider meeting', ({ render }) => {
  it('the hooks read it as left: ended, canEnd false, onMeetingLeft once; the others are told left once', async () => {
    const { remote: bob, transport } = await roomWithRemote('room')
    const seen: { meeting?: Meeting; left: string[] } = { left: [] }
    const { unmount } = render(
      <MeetingProvider
        config={{ meetingId: 'room', participant: { id: 'alice', role: 'host' }, ...fast }}
        transport={transport}
        joinOnMount
      >
        <View seen={seen} />
      </MeetingProvider>,
    )
    await screen.findByText('joined CONNECTED canEnd=true null others=1')

    act(() => seen.meeting!.dispose())

    expect(screen.getByRole('status').textContent).toBe('ended DISCONNECTED canEnd=false left others=0')
    expect(seen.left).toEqual(['left'])
    await waitFor(() => expect(bob.events['participant-left']).toHaveLength(1))
    expect(bob.events['participant-left'][0]![1]).toEqual({ reason: 'left' })
    // Unmounting afterwards (the provider's own leave) adds nothing.
    unmount()
    await act(() => sleep(quietMs))
    expect(seen.left).toEqual(['left'])
    expect(bob.events['participant-left']).toHaveLength(1)
  })
})
