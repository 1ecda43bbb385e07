// @vitest-environment node
import { StrictMode } from 'react'
import { renderToString } from 'react-dom/server'
import { beforeAll, describe, expect, it } from 'vitest'

// Every read of a DOM global is recorded, `typeof window` included. Installed before the package
// and core are imported, so module-level code is watched too.
const touched: string[] = []
for (const name of ['window', 'document'] as const) {
  if (name in globalThis) continue
  Object.defineProperty(globalThis, name, {
    configurable: true,
    get() {
      touched.push(name)
      return undefined
    },
  })
}

let lib: typeof import('../src/index.js')
let core: typeof import('@convene/core')
let helpers: typeof import('./helpers.js')
beforeAll(async () => {
  lib = await import('../src/index.js')
  core = await import('@convene/core')
  helpers = await import('./helpers.js')
})

function MeetingView() {
  const { meetingState, participants } = lib.useMeeting({ onMeetingJoined() {}, onMeetingLeft() {} })
  const { isLocal } = lib.useParticipant('alice')
  const canEnd = lib.useMeetingSelector((snapshot) => snapshot.canEnd)
  return <p>{`${meetingState} ${participants.size} local=${isLocal} canEnd=${canEnd}`}</p>
}

describe.each([
  ['plain', false],
  ['strict', true],
] as const)('server rendering (%s mode)', (_mode, strict) => {
  it('renders the idle meeting without touching the transport, window or document', async () => {
    const { transport, sessions } = helpers.recordingTransport(core.createMemoryNetwork().transport())
    const tree = (
      <lib.MeetingProvider
        config={{ meetingId: 'ssr', participant: { id: 'alice' } }}
        transport={transport}
        joinOnMount
      >
        <MeetingView />
      </lib.MeetingProvider>
    )

    const html = renderToString(strict ? <StrictMode>{tree}</StrictMode> : tree)
    // Anything scheduled during the render would run now.
    await new Promise((resolve) => setTimeout(resolve, 20))

    expect(html).toContain('DISCONNECTED 0 local=true canEnd=false')
    expect(sessions).toHaveLength(0)
    expect(touched).toEqual([])
  })
})

it('the DOM-global trap does record reads', () => {
  const before = touched.length
  expect(typeof window).toBe('undefined')
  expect(touched.slice(before)).toEqual(['window'])
  touched.length = before
})
