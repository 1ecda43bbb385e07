import { isMeetingError, MeetingError } from '@convene/core'
import { expect, it } from 'vitest'
import { useMeeting, useMeetingInstance, useMeetingSelector, useParticipant } from '../src/index.js'
import { describeEachReactMode, expectRenderErrors } from './utils.js'

const hooks: Record<string, () => unknown> = {
  useMeeting: () => useMeeting(),
  useParticipant: () => useParticipant('alice'),
  useMeetingSelector: () => useMeetingSelector((snapshot) => snapshot.meetingState),
  useMeetingInstance: () => useMeetingInstance(),
}

function Probe({ useHook }: { useHook: () => unknown }) {
  useHook()
  return null
}

describeEachReactMode('a hook outside MeetingProvider', ({ render }) => {
  expectRenderErrors()

  it.each(Object.keys(hooks))(
    '%s throws MeetingError NO_PROVIDER naming the provider and the hook',
    (name) => {
      let thrown: unknown
      try {
        render(<Probe useHook={hooks[name]!} />)
      } catch (error) {
        thrown = error
      }
      // The one error class, matched by code like every other failure.
      expect(thrown).toBeInstanceOf(MeetingError)
      expect(isMeetingError(thrown) && thrown.code).toBe('NO_PROVIDER')
      expect((thrown as Error).message).toContain('<MeetingProvider>')
      expect((thrown as Error).message).toContain(`${name}()`)
    },
  )
})
