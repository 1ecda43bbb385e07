import { describe, expect, it } from 'vitest'
import { currentDiagramBlock, diagramBlock, statechartMermaid } from '../scripts/statechart.js'

describe('the statechart in ARCHITECTURE.md', () => {
  it('is the one generated from meetingMachine (run `npm run statechart` after changing the machine)', () => {
    expect(currentDiagramBlock()).toBe(diagramBlock())
  })

  it('draws every top-level state and the guarded end', () => {
    const diagram = statechartMermaid()
    for (const state of ['idle', 'joining', 'joined', 'leaving', 'ended']) expect(diagram).toContain(state)
    expect(diagram).toContain('joined --> leaving : END [canEnd]')
    expect(diagram).toContain('ended --> [*]')
  })
})
