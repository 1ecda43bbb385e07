/**
 * React: renders per participant join in a meeting of 50, for a tile list and for a component that
 * selects only the meeting state, with @convene/react and, in the same run, with the naive wiring
 * (the whole snapshot through useSyncExternalStore, tiles without memo) as the baseline.
 */
import { JSDOM } from 'jsdom'

const dom = new JSDOM('<!doctype html><div id="root"></div>')
Object.assign(globalThis, {
  window: dom.window,
  document: dom.window.document,
  navigator: dom.window.navigator,
  IS_REACT_ACT_ENVIRONMENT: true,
})

const { createMemoryNetwork, PROTOCOL_VERSION } = await import('@convene/core')
type Meeting = import('@convene/core').Meeting
type Transport = import('@convene/core').Transport
type TransportEvent = import('@convene/core').TransportEvent
const React = await import('react')
const { createRoot } = await import('react-dom/client')
const convene = await import('@convene/react')
const { main, progress } = await import('./lib/output.js')

const { act, memo, useSyncExternalStore } = React
const INITIAL = 50
const MEASURED_JOINS = 20

const counts = new Map<string, number>()
const count = (name: string) => counts.set(name, (counts.get(name) ?? 0) + 1)

// --- with @convene/react -----------------------------------------------------------------------
const Tile = memo(function Tile({ id }: { id: string }) {
  count('convene tile')
  const { displayName } = convene.useParticipant(id)
  return <li>{displayName}</li>
})

function TileList() {
  count('convene tile list')
  const { participants } = convene.useMeeting()
  return (
    <ul>
      {[...participants.keys()].map((id) => (
        <Tile key={id} id={id} />
      ))}
    </ul>
  )
}

function MeetingStateOnly() {
  count('convene meetingState only')
  return <output>{convene.useMeetingSelector((snapshot) => snapshot.meetingState)}</output>
}

function MeetingStateFromUseMeeting() {
  count('convene meetingState via useMeeting')
  return <output>{convene.useMeeting().meetingState}</output>
}

// --- the naive baseline: every component reads the whole snapshot ---------------------------
function useWholeSnapshot() {
  const meeting = convene.useMeetingInstance()
  return useSyncExternalStore(meeting.subscribe, meeting.getSnapshot)
}

function NaiveTile({ name }: { name: string }) {
  count('naive tile')
  return <li>{name}</li>
}

function NaiveTileList() {
  count('naive tile list')
  const { participants } = useWholeSnapshot()
  return (
    <ul>
      {[...participants.values()].map((p) => (
        <NaiveTile key={p.id} name={p.name} />
      ))}
    </ul>
  )
}

function NaiveMeetingState() {
  count('naive meetingState only')
  return <output>{useWholeSnapshot().meetingState}</output>
}

/** A transport that is only a pipe, so each join is exactly one hello and nothing else moves. */
function pipe() {
  let push: ((event: TransportEvent) => void) | undefined
  const transport: Transport = {
    name: 'bench-pipe',
    session: () => ({
      events: {
        subscribe(observer) {
          push = (event) => observer.next?.(event)
          return { unsubscribe: () => {} }
        },
      },
      send: () => {},
    }),
  }
  return { transport, push: (event: TransportEvent) => push?.(event) }
}

const hello = (n: number) => ({
  type: 'message' as const,
  linkId: `s${n}`,
  data: {
    v: PROTOCOL_VERSION,
    session: `s${n}`,
    seq: 0,
    type: 'hello',
    meetingId: 'bench',
    participant: { id: `p${n}`, name: `p${n}`, role: 'participant' },
    joinedAt: 1,
    heartbeatIntervalMs: 1000,
  },
})

export interface ReactRendersResult {
  initial: number
  measuredJoins: number
  rows: Array<{ component: string; rendersPerJoin: number; note: string }>
}

function Probe({ onMeeting }: { onMeeting: (meeting: Meeting) => void }) {
  onMeeting(convene.useMeetingInstance())
  return null
}

export async function run(): Promise<ReactRendersResult> {
  void createMemoryNetwork // the pipe keeps the count exact; the memory network is not needed here
  const { transport, push } = pipe()
  let meeting: Meeting | undefined
  const root = createRoot(document.getElementById('root')!)
  console.warn = () => {} // the development-mode notice about self-declared roles
  await act(async () => {
    root.render(
      <convene.MeetingProvider
        config={{
          meetingId: 'bench',
          participant: { id: 'me', role: 'host' },
          heartbeatIntervalMs: 600_000,
          departureTimeoutMs: 3_600_000,
        }}
        transport={transport}
      >
        <Probe onMeeting={(m) => (meeting = m)} />
        <TileList />
        <MeetingStateOnly />
        <MeetingStateFromUseMeeting />
        <NaiveTileList />
        <NaiveMeetingState />
      </convene.MeetingProvider>,
    )
  })
  await act(async () => {
    const joined = meeting!.join()
    push({ type: 'ready', peers: [] })
    await joined
  })
  for (let n = 0; n < INITIAL; n++) await act(async () => push(hello(n)))
  if (meeting!.participants.size !== INITIAL) throw new Error('roster did not fill')
  counts.clear()
  for (let n = INITIAL; n < INITIAL + MEASURED_JOINS; n++) await act(async () => push(hello(n)))
  const listed = document.querySelectorAll('li').length
  // Both lists show every participant: a render count on a list that did not update would mean nothing.
  if (listed !== 2 * (INITIAL + MEASURED_JOINS)) throw new Error(`rendered ${listed} tiles`)
  await act(async () => root.unmount())
  const per = (name: string) => Math.round(((counts.get(name) ?? 0) / MEASURED_JOINS) * 100) / 100
  const rows = [
    {
      component: 'convene tile list (useMeeting)',
      rendersPerJoin: per('convene tile list'),
      note: 'the list itself',
    },
    {
      component: 'convene tiles (memo + useParticipant)',
      rendersPerJoin: per('convene tile'),
      note: 'all tiles together: only the new one',
    },
    {
      component: 'convene meetingState only (useMeetingSelector)',
      rendersPerJoin: per('convene meetingState only'),
      note: 'target 0',
    },
    {
      component: 'convene meetingState only (useMeeting, reads one field)',
      rendersPerJoin: per('convene meetingState via useMeeting'),
      note: 'target 0: re-renders for the fields it reads',
    },
    {
      component: 'baseline tile list (whole snapshot)',
      rendersPerJoin: per('naive tile list'),
      note: 'useSyncExternalStore(getSnapshot)',
    },
    {
      component: 'baseline tiles (no memo)',
      rendersPerJoin: per('naive tile'),
      note: 'every tile, every join',
    },
    {
      component: 'baseline meetingState (whole snapshot)',
      rendersPerJoin: per('naive meetingState only'),
      note: 'renders on any change',
    },
  ]
  for (const row of rows) progress(`${row.component}: ${row.rendersPerJoin}`)
  return { initial: INITIAL, measuredJoins: MEASURED_JOINS, rows }
}

if (import.meta.url === `file://${process.argv[1]}`) await main(run)
