import { act, screen, waitFor } from '@testing-library/react'
import { StrictMode } from 'react'
import { hydrateRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { MeetingProvider, useMeeting } from '../src/index.js'
import { fast, recordingTransport, roomWithRemote } from './utils.js'

function State() {
  const { meetingState, participants } = useMeeting()
  return <output>{`${meetingState} ${participants.size}`}</output>
}

let root: Root | undefined
afterEach(() => {
  act(() => root?.unmount())
  root = undefined
  document.body.innerHTML = ''
  vi.restoreAllMocks()
})

describe.each([
  ['plain', false],
  ['strict', true],
] as const)('hydrating server HTML (%s mode)', (_mode, strict) => {
  it('hydrates without a mismatch, then joins on the client only', async () => {
    const { network, remote: bob } = await roomWithRemote('h')
    const server = recordingTransport(network.transport())
    const client = recordingTransport(network.transport())
    const app = (transport: typeof server.transport) => {
      const tree = (
        <MeetingProvider
          config={{ meetingId: 'h', participant: { id: 'alice' }, ...fast }}
          transport={transport}
          joinOnMount
        >
          <State />
        </MeetingProvider>
      )
      return strict ? <StrictMode>{tree}</StrictMode> : tree
    }
    const container = document.createElement('div')
    document.body.append(container)
    container.innerHTML = renderToString(app(server.transport))
    const consoleError = vi.spyOn(console, 'error')
    const recoverable = vi.fn()

    await act(async () => {
      root = hydrateRoot(container, app(client.transport), { onRecoverableError: recoverable })
    })

    await screen.findByText('CONNECTED 1')
    await waitFor(() => expect(bob.events['participant-joined']).toHaveLength(1))
    expect(recoverable).not.toHaveBeenCalled()
    expect(consoleError).not.toHaveBeenCalled()
    expect(server.sessions).toHaveLength(0)
    expect(client.sessions).toHaveLength(1)
  })
})
