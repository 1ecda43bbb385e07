import { createRequire } from 'node:module'
import { createMemoryNetwork } from '@convene/core'
import { render, screen } from '@testing-library/react'
import { useState, version } from 'react'
import { version as domVersion } from 'react-dom'
import { renderToString } from 'react-dom/server'
import { expect, it } from 'vitest'
import { MeetingProvider, useMeeting } from '../src/index.js'

// Set per vitest project (vitest.workspace.ts): the React major that project runs the suite against.
const major = process.env.CONVENE_REACT_MAJOR

it('runs against the React major its project names', () => {
  expect(major).toMatch(/^1[89]$/)
  expect(version.split('.')[0]).toBe(major)
  expect(domVersion.split('.')[0]).toBe(major)
})

it('use-sync-external-store, which Node loads itself, finds that same React', () => {
  const fromShim = createRequire(
    createRequire(import.meta.url).resolve('use-sync-external-store/with-selector'),
  )
  expect(fromShim('react').version).toBe(version)
})

// A second React copy anywhere in the chain (test, @convene/react, @testing-library/react, react-dom)
// breaks hooks: "Invalid hook call" or a null dispatcher.
function View() {
  const [own] = useState('hooks')
  const { meetingState } = useMeeting()
  return <p>{`${own} ${meetingState} ${version}`}</p>
}

it('the tests, @convene/react, react-dom and @testing-library/react share that one React', () => {
  const transport = createMemoryNetwork().transport()
  const tree = (
    <MeetingProvider config={{ meetingId: 'v', participant: { id: 'alice' } }} transport={transport}>
      <View />
    </MeetingProvider>
  )
  render(tree)
  expect(screen.getByText(`hooks DISCONNECTED ${version}`)).toBeTruthy()
  expect(renderToString(tree)).toContain(`hooks DISCONNECTED ${version}`)
})
