import { createMemoryNetwork } from '@convene/core'
import { act, screen, waitFor } from '@testing-library/react'
import { expect, it } from 'vitest'
import { MeetingProvider, type MeetingProviderConfig, useMeeting } from '../src/index.js'
import {
  describeEachReactMode,
  fast,
  quietMs,
  recordingTransport,
  remoteParticipant,
  roomWithRemote,
  sleep,
} from './utils.js'

function Where() {
  const { meetingId, localParticipant, meetingState } = useMeeting()
  return (
    <output>
      {meetingId}/{localParticipant.id}/{meetingState}
    </output>
  )
}

describeEachReactMode('the meeting a provider owns', ({ render }) => {
  it('changing meetingId leaves the old meeting and joins the new one', async () => {
    const network = createMemoryNetwork()
    const inA = remoteParticipant({
      meetingId: 'a',
      participant: { id: 'bob' },
      transport: network.transport(),
    })
    const inB = remoteParticipant({
      meetingId: 'b',
      participant: { id: 'carol' },
      transport: network.transport(),
    })
    await Promise.all([inA.meeting.join(), inB.meeting.join()])
    const { transport, sessions } = recordingTransport(network.transport())
    const provider = (config: MeetingProviderConfig) => (
      <MeetingProvider config={{ ...fast, ...config }} transport={transport} joinOnMount>
        <Where />
      </MeetingProvider>
    )

    const { rerender } = render(provider({ meetingId: 'a', participant: { id: 'alice' } }))
    await screen.findByText('a/alice/CONNECTED')
    await waitFor(() => expect(inA.meeting.participants.has('alice')).toBe(true))

    rerender(provider({ meetingId: 'b', participant: { id: 'alice' } }))
    await screen.findByText('b/alice/CONNECTED')
    await waitFor(() => expect(inA.events['participant-left']).toHaveLength(1))
    await waitFor(() => expect(inB.meeting.participants.has('alice')).toBe(true))
    await act(() => sleep(quietMs))

    expect(inA.events['participant-left'][0]![1]).toEqual({ reason: 'left' })
    expect(inA.events['participant-left']).toHaveLength(1)
    expect(inB.events['participant-joined']).toHaveLength(1)
    expect(inB.events['participant-left']).toHaveLength(0)
    expect(sessions.map((session) => session.meetingId)).toEqual(['a', 'b'])
  })

  it('changing the participant id leaves as the old one and joins as the new one', async () => {
    const { network, remote: bob } = await roomWithRemote('a')
    const provider = (id: string) => (
      <MeetingProvider
        config={{ meetingId: 'a', participant: { id }, ...fast }}
        transport={network.transport()}
        joinOnMount
      >
        <Where />
      </MeetingProvider>
    )

    const { rerender } = render(provider('alice'))
    await screen.findByText('a/alice/CONNECTED')
    rerender(provider('dave'))
    await screen.findByText('a/dave/CONNECTED')
    await waitFor(() => expect(bob.events['participant-left']).toHaveLength(1))
    await act(() => sleep(quietMs))

    expect(bob.events['participant-joined'].map(([p]) => p.id)).toEqual(['alice', 'dave'])
    expect(bob.events['participant-left'].map(([p]) => p.id)).toEqual(['alice'])
    expect([...bob.meeting.participants.keys()]).toEqual(['dave'])
  })

  it('a re-render with an equal config (new object, new name) keeps the meeting', async () => {
    const network = createMemoryNetwork()
    const { transport, sessions } = recordingTransport(network.transport())
    const provider = (name: string) => (
      <MeetingProvider
        config={{ meetingId: 'a', participant: { id: 'alice', name }, ...fast }}
        transport={transport}
        joinOnMount
      >
        <Where />
      </MeetingProvider>
    )
    const { rerender } = render(provider('Alice'))
    await screen.findByText('a/alice/CONNECTED')
    rerender(provider('Alice B.'))
    await act(() => sleep(fast.heartbeatIntervalMs * 2))
    expect(screen.getByRole('status').textContent).toBe('a/alice/CONNECTED')
    expect(sessions).toHaveLength(1)
  })
})
