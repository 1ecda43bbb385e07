import { createMemoryNetwork, type Meeting, type MeetingState } from '@convene/core'
import { act, waitFor } from '@testing-library/react'
import { expect, it, vi } from 'vitest'
import { MeetingProvider, useMeeting, useMeetingInstance } from '../src/index.js'
import { describeEachReactMode, fast, quietMs, remoteParticipant, sleep } from './utils.js'

interface Seen {
  log: string[]
  states: MeetingState[]
  meeting?: Meeting
}

function View({ label, seen }: { label: string; seen: Seen }) {
  seen.meeting = useMeetingInstance()
  useMeeting({
    // New arrows on every render, closing over the current label.
    onMeetingJoined: () => seen.log.push(`${label}:joined`),
    onParticipantJoined: (p) => seen.log.push(`${label}:+${p.id}`),
    onParticipantLeft: (p, { reason }) => seen.log.push(`${label}:-${p.id}:${reason}`),
    onMeetingStateChanged: ({ state }) => seen.states.push(state),
    onMeetingLeft: ({ reason }) => seen.log.push(`${label}:left:${reason}`),
  })
  return null
}

describeEachReactMode('useMeeting callbacks', ({ render }) => {
  it('see the latest props, fire once per event, and never resubscribe', async () => {
    const network = createMemoryNetwork()
    const seen: Seen = { log: [], states: [] }
    const tree = (label: string) => (
      <MeetingProvider
        config={{ meetingId: 'cb', participant: { id: 'alice' }, ...fast }}
        transport={network.transport()}
      >
        <View label={label} seen={seen} />
      </MeetingProvider>
    )

    const { rerender } = render(tree('v1'))
    const meeting = seen.meeting!
    const on = vi.spyOn(meeting, 'on')
    rerender(tree('v2'))
    await act(() => meeting.join())
    await waitFor(() => expect(seen.log).toEqual(['v2:joined']))

    rerender(tree('v3'))
    const bob = remoteParticipant({
      meetingId: 'cb',
      participant: { id: 'bob' },
      transport: network.transport(),
    })
    await act(() => bob.meeting.join())
    await waitFor(() => expect(seen.log).toContain('v3:+bob'))
    rerender(tree('v4'))
    await act(() => bob.meeting.leave())
    await waitFor(() => expect(seen.log).toContain('v4:-bob:left'))
    rerender(tree('v5'))
    await act(() => meeting.leave())
    await act(() => sleep(quietMs))

    expect(seen.log).toEqual(['v2:joined', 'v3:+bob', 'v4:-bob:left', 'v5:left:left'])
    // leave() is over for the caller at once (the goodbye is delivered behind the scenes): no DISCONNECTING.
    expect(seen.states).toEqual(['CONNECTING', 'CONNECTED', 'DISCONNECTED'])
    expect(on, 'new callbacks must not resubscribe').not.toHaveBeenCalled()
    expect(seen.meeting).toBe(meeting)
  })
})
