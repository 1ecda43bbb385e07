import * as RTL from '@testing-library/react'
import { Fragment, StrictMode } from 'react'
import { afterEach, beforeEach, describe, vi } from 'vitest'
import { sleep } from './helpers.js'

export { fast, quietMs, recordingTransport, remoteParticipant, roomWithRemote, sleep } from './helpers.js'

type SimplifiedRender = (...args: Parameters<typeof RTL.render>) => ReturnType<typeof RTL.render>

const modes = [
  ['plain', Fragment],
  ['strict', StrictMode],
] as const

export type ReactMode = (typeof modes)[number][0]

/** Runs a suite twice, once in React.StrictMode and once without, like @xstate/react's test utils. */
export function describeEachReactMode(
  name: string,
  fn: (suite: { mode: ReactMode; render: SimplifiedRender }) => void,
): void {
  describe.each(modes)(`${name} (%s mode)`, (mode, Wrapper) => {
    const render: SimplifiedRender = (ui, ...rest) => {
      const result = RTL.render(<Wrapper>{ui}</Wrapper>, ...rest)
      const { rerender } = result
      result.rerender = (next) => rerender(<Wrapper>{next}</Wrapper>)
      return result
    }
    fn({ mode, render })
  })
}

// findBy* and waitFor give up after 1 s by default: a join over the memory network takes a few ms
// alone, but a worker starved on a busy 2-core machine has sat in CONNECTING past that. These wait for
// a state the test needs; how fast it comes is the benchmarks' business.
RTL.configure({ asyncUtilTimeout: 10_000 })

afterEach(async () => {
  RTL.cleanup()
  // Lets the provider's deferred leave (a macrotask after unmount) run before the next test.
  await sleep(0)
})

/**
 * For a suite whose renders throw on purpose: React reports the error on `console.error`, and React
 * 18's development build rethrows it inside a fake DOM event, which jsdom prints on stderr unless the
 * page handles it. Both are silenced; the test asserts the throw itself.
 */
export function expectRenderErrors(): void {
  const handled = (event: ErrorEvent) => event.preventDefault()
  beforeEach(() => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    window.addEventListener('error', handled)
  })
  afterEach(() => {
    window.removeEventListener('error', handled)
    vi.restoreAllMocks()
  })
}
