import type { ChartState } from './statechartModel.js'

export interface StateBoxProps {
  state: ChartState
  active: ReadonlySet<string>
  showTransitions: boolean
}

/** One state of the chart: its name, its outgoing transitions, and its child states nested inside. */
export function StateBox({ state, active, showTransitions }: StateBoxProps) {
  const isActive = active.has(state.path)
  const classes = ['state', state.type, isActive ? 'active' : '', state.initial ? 'initial' : '']
  const transitions = state.transitions.map(
    (t) => `${t.label} → ${t.targets.map((target) => target.split('.').pop()).join(', ')}`,
  )
  return (
    <div
      className={classes.filter(Boolean).join(' ')}
      data-state={state.path}
      data-active={isActive ? 'true' : 'false'}
      title={transitions.join('\n')}
    >
      <div className="state-name">
        {state.initial && <span title="initial state">● </span>}
        {state.key}
        {state.type === 'final' && <span title="final state"> ◉</span>}
      </div>
      {showTransitions && transitions.length > 0 && (
        <ul className="transitions">
          {transitions.map((text) => (
            <li key={text}>{text}</li>
          ))}
        </ul>
      )}
      {state.children.length > 0 && (
        <div className="children">
          {state.children.map((child) => (
            <StateBox key={child.id} state={child} active={active} showTransitions={showTransitions} />
          ))}
        </div>
      )}
    </div>
  )
}
