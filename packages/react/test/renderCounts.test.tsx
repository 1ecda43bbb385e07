import { createMemoryNetwork, type MeetingSnapshot } from '@convene/core'
import { act, screen, waitFor } from '@testing-library/react'
import { Profiler, type ReactNode } from 'react'
import { expect, it } from 'vitest'
import { MeetingProvider, useMeeting, useMeetingSelector, useParticipant } from '../src/index.js'
import { describeEachReactMode, fast, remoteParticipant, sleep } from './utils.js'

// Profiler counts commits, so StrictMode's double render of a function body does not inflate the numbers.
function Counted({ id, counts, children }: { id: string; counts: Map<string, number>; children: ReactNode }) {
  return (
    <Profiler id={id} onRender={(name) => counts.set(name, (counts.get(name) ?? 0) + 1)}>
      {children}
    </Profiler>
  )
}

const selectParticipants = (snapshot: MeetingSnapshot) => snapshot.participants

function ParticipantCount() {
  return <p>participants: {useMeetingSelector(selectParticipants).size}</p>
}

function MeetingStateOnly() {
  // Inline selector on purpose: a new function every render must not cost a re-render.
  return <output>{useMeetingSelector((snapshot) => snapshot.meetingState)}</output>
}

function Tile({ id }: { id: string }) {
  const { displayName } = useParticipant(id)
  return <p>tile {displayName ?? '-'}</p>
}

// A new object on every call: only `compare` keeps it from re-rendering on every snapshot.
function StateObject({ compare }: { compare?: (a: { state: string }, b: { state: string }) => boolean }) {
  useMeetingSelector((snapshot) => ({ state: snapshot.meetingState }), compare)
  return null
}

const sameState = (a: { state: string }, b: { state: string }) => a.state === b.state

// useMeeting re-renders for the fields a component reads, and for nothing else.
function CallbacksOnly() {
  useMeeting({ onParticipantJoined: () => {} })
  return null
}

function RosterSize() {
  return <p>roster: {useMeeting().participants.size}</p>
}

function Everything() {
  const everything = { ...useMeeting() }
  return <p hidden>{Object.keys(everything).length}</p>
}

describeEachReactMode('re-render counts', ({ mode, render }) => {
  it('a participant joining re-renders the roster selection only', async () => {
    const network = createMemoryNetwork()
    const counts = new Map<string, number>()
    render(
      <MeetingProvider
        config={{ meetingId: 'r', participant: { id: 'alice' }, ...fast }}
        transport={network.transport()}
        joinOnMount
      >
        <Counted id="participants" counts={counts}>
          <ParticipantCount />
        </Counted>
        <Counted id="meetingState" counts={counts}>
          <MeetingStateOnly />
        </Counted>
        <Counted id="tile:bob" counts={counts}>
          <Tile id="bob" />
        </Counted>
        <Counted id="object+compare" counts={counts}>
          <StateObject compare={sameState} />
        </Counted>
        <Counted id="object" counts={counts}>
          <StateObject />
        </Counted>
        <Counted id="useMeeting: callbacks" counts={counts}>
          <CallbacksOnly />
        </Counted>
        <Counted id="useMeeting: participants" counts={counts}>
          <RosterSize />
        </Counted>
        <Counted id="useMeeting: every field" counts={counts}>
          <Everything />
        </Counted>
      </MeetingProvider>,
    )
    await screen.findByText('CONNECTED')
    await act(() => sleep(fast.heartbeatIntervalMs * 3))
    const before = new Map(counts)

    const bob = remoteParticipant({
      meetingId: 'r',
      participant: { id: 'bob' },
      transport: network.transport(),
    })
    await act(() => bob.meeting.join())
    await screen.findByText('participants: 1')
    await screen.findByText('tile bob')
    const carol = remoteParticipant({
      meetingId: 'r',
      participant: { id: 'carol' },
      transport: network.transport(),
    })
    await act(() => carol.meeting.join())
    await screen.findByText('participants: 2')
    // Heartbeats keep flowing meanwhile; none of them may re-render anything.
    await act(() => sleep(fast.heartbeatIntervalMs * 4))

    const delta = Object.fromEntries([...counts].map(([id, n]) => [id, n - (before.get(id) ?? 0)]))
    console.info(`[render counts, ${mode}] mount: ${JSON.stringify(Object.fromEntries(before))}`)
    console.info(`[render counts, ${mode}] bob then carol joined: ${JSON.stringify(delta)}`)

    expect(delta.meetingState).toBe(0)
    // One roster change per join: bob, then carol.
    expect(delta.participants).toBe(2)
    // Bob's tile changed when bob came, not when carol did.
    expect(delta['tile:bob']).toBe(1)
    expect(delta['object+compare']).toBe(0)
    // Without a compare, a selector returning a fresh object re-renders for every snapshot, like a
    // component reading every field of useMeeting.
    expect(delta.object).toBe(delta['useMeeting: every field'])
    expect(delta.object).toBeGreaterThanOrEqual(2)
    expect(delta['useMeeting: participants']).toBe(2)
    expect(delta['useMeeting: callbacks']).toBe(0)
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('CONNECTED'))
  })
})
