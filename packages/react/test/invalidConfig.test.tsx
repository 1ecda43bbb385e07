import { createMemoryNetwork, isMeetingError, type Transport } from '@convene/core'
import { expect, it } from 'vitest'
import { MeetingProvider, type MeetingProviderConfig } from '../src/index.js'
import { describeEachReactMode, expectRenderErrors, recordingTransport } from './utils.js'

const bad: Record<string, { config: MeetingProviderConfig; transport?: Transport; option: string }> = {
  'an empty meetingId': { config: { meetingId: '', participant: { id: 'alice' } }, option: 'meetingId' },
  'no participant': { config: { meetingId: 'm' } as MeetingProviderConfig, option: 'participant' },
  'no transport': {
    config: { meetingId: 'm', participant: { id: 'alice' } },
    transport: null as unknown as Transport,
    option: 'transport',
  },
  'a negative heartbeat': {
    config: { meetingId: 'm', participant: { id: 'alice' }, heartbeatIntervalMs: -1 },
    option: 'heartbeatIntervalMs',
  },
}

describeEachReactMode('a provider with a bad config', ({ render }) => {
  expectRenderErrors()

  it.each(Object.keys(bad))("with %s throws core's INVALID_OPTION naming the option", (name) => {
    const { config, transport, option } = bad[name]!
    const recorded = recordingTransport(createMemoryNetwork().transport())
    let thrown: unknown
    try {
      render(
        <MeetingProvider
          config={config}
          transport={transport === undefined ? recorded.transport : transport}
          joinOnMount
        />,
      )
    } catch (error) {
      thrown = error
    }
    expect(isMeetingError(thrown), String(thrown)).toBe(true)
    expect(thrown).toMatchObject({ code: 'INVALID_OPTION', details: { option } })
    expect(recorded.sessions).toHaveLength(0)
  })
})
