import type { Transport } from '@convene/core'
import { createMemoryNetwork } from '@convene/core'
import { act, screen } from '@testing-library/react'
import { expect, it } from 'vitest'
import { MeetingProvider, useMeeting } from '../src/index.js'
import { describeEachReactMode, fast, remoteParticipant } from './utils.js'

const renders: string[] = []

// Reads `meetingState` always, the roster only once `showRoster` is set.
function Lazy({ showRoster }: { showRoster: boolean }) {
  const meeting = useMeeting()
  renders.push(meeting.meetingState)
  return showRoster ? <p>roster {meeting.participants.size}</p> : <p>state {meeting.meetingState}</p>
}

function tree(transport: Transport, showRoster: boolean) {
  return (
    <MeetingProvider
      config={{ meetingId: 't', participant: { id: 'alice' }, ...fast }}
      transport={transport}
      joinOnMount
    >
      <Lazy showRoster={showRoster} />
    </MeetingProvider>
  )
}

describeEachReactMode('useMeeting tracks the fields a component reads', ({ render }) => {
  it('ignores changes of unread fields, and a field read for the first time is current', async () => {
    const network = createMemoryNetwork()
    const transport = network.transport()
    const { rerender } = render(tree(transport, false))
    await screen.findByText('state CONNECTED')
    const join = async (id: string) => {
      const remote = remoteParticipant({
        meetingId: 't',
        participant: { id },
        transport: network.transport(),
      })
      await act(() => remote.meeting.join())
    }

    renders.length = 0
    await join('bob')
    // The roster changed, but this component has not read it.
    expect(renders).toEqual([])

    rerender(tree(transport, true))
    // Bob is there: the render that reads the roster first gets the current snapshot, not a stale one.
    expect(screen.getByText('roster 1')).toBeTruthy()

    await join('carol')
    await screen.findByText('roster 2')
  })
})
