import { createMemoryNetwork, isMeetingError } from '@convene/core'
import { act, screen, waitFor } from '@testing-library/react'
import { useState } from 'react'
import { expect, it } from 'vitest'
import { MeetingProvider, useMeeting, useParticipant } from '../src/index.js'
import { describeEachReactMode, fast, remoteParticipant } from './utils.js'

function Badge({ id }: { id: string }) {
  const { micOn, webcamOn, isLocal } = useParticipant(id)
  return <li>{`${id}${isLocal ? ' (me)' : ''}: ${micOn ? 'mic' : 'muted'} ${webcamOn ? 'cam' : 'nocam'}`}</li>
}

function Controls() {
  const { join, localMicOn, localWebcamOn, toggleMic, toggleWebcam, participants, localParticipant } =
    useMeeting()
  const [refused, setRefused] = useState('none')
  const attempt = (action: () => Promise<void>) => () =>
    action().catch((error) => setRefused(isMeetingError(error) ? error.code : 'other'))
  return (
    <>
      <button type="button" onClick={() => join()}>
        Join
      </button>
      <button type="button" onClick={attempt(toggleMic)}>
        {localMicOn ? 'Mute' : 'Unmute'}
      </button>
      <button type="button" onClick={attempt(toggleWebcam)}>
        {localWebcamOn ? 'Camera off' : 'Camera on'}
      </button>
      <p>{`refused: ${refused}`}</p>
      <ul>
        {[localParticipant.id, ...participants.keys()].map((id) => (
          <Badge key={id} id={id} />
        ))}
      </ul>
    </>
  )
}

const click = (name: string) => act(async () => screen.getByRole('button', { name }).click())

describeEachReactMode('microphone and camera toggles', ({ render }) => {
  it('useMeeting toggles and reads the local state; useParticipant shows a remote one as it changes', async () => {
    const network = createMemoryNetwork()
    const bob = remoteParticipant({
      meetingId: 'm',
      participant: { id: 'bob' },
      transport: network.transport(),
    })
    await bob.meeting.join()
    await bob.meeting.disableWebcam()
    render(
      <MeetingProvider
        config={{ meetingId: 'm', participant: { id: 'alice', role: 'host' }, ...fast }}
        transport={network.transport()}
      >
        <Controls />
      </MeetingProvider>,
    )
    // Not joined yet: a typed refusal, and nothing changes.
    await click('Mute')
    await screen.findByText('refused: NOT_JOINED')
    expect(screen.getByText('alice (me): mic cam')).toBeTruthy()

    // Joining finds Bob's camera off as it is, without an event for it.
    await click('Join')
    await screen.findByText('bob: mic nocam')
    await click('Mute')
    await screen.findByRole('button', { name: 'Unmute' })
    expect(screen.getByText('alice (me): muted cam')).toBeTruthy()
    await click('Camera off')
    await screen.findByText('alice (me): muted nocam')
    // Bob hears each change a moment after Alice's own view shows it.
    await waitFor(() =>
      expect(bob.meeting.participants.get('alice')).toMatchObject({ micOn: false, webcamOn: false }),
    )
    expect(bob.events['participant-media-changed'].map(([p]) => `${p.micOn}/${p.webcamOn}`)).toEqual([
      'false/true',
      'false/false',
    ])

    await act(() => bob.meeting.toggleWebcam())
    await screen.findByText('bob: mic cam')
    await act(() => bob.meeting.muteMic())
    await screen.findByText('bob: muted cam')
    expect(screen.getByText('refused: NOT_JOINED')).toBeTruthy()
  })
})
