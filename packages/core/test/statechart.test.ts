import { describe, expect, it } from 'vitest'
import { currentDiagramBlock, diagramBlock, statechartMermaid } from '../scripts/statechart.js'

describe('the statechart in ARCHITECTURE.md', () => {
  it('is the one generated from meetingMachine (run `npm run statechart` after changing the machine)', () => {
    expect(currentDiagramBlock()).toBe(diagramBlock())
  })

  it('draws every top-level state, the guarded end and the rejoin', () => {
    const diagram = statechartMermaid()
    for (const state of ['idle', 'authorizing', 'joining', 'joined', 'leaving', 'ended'])
      expect(diagram).toContain(state)
    expect(diagram).toContain('joined --> leaving : END [canEnd]')
    // Not final: a join after the end starts a new session.
    expect(diagram).toContain('ended --> authorizing : JOIN [needsCredentials]')
  })
})
