import { meetingMachine } from '@convene/core'
import { useState } from 'react'
import { StateBox } from './StateBox.js'
import { chartOf } from './statechartModel.js'

/** Computed once from the machine definition; never a hand-drawn copy. */
export const meetingChart = chartOf(meetingMachine)

/** `meetingMachine`'s states, drawn from its definition, with the active ones highlighted. */
export function StatechartPanel({ active }: { active: ReadonlySet<string> }) {
  const [showTransitions, setShowTransitions] = useState(false)
  return (
    <section className="panel statechart" data-testid="statechart" aria-label="Meeting statechart">
      <h2>
        Statechart <small>meetingMachine, live</small>
        <label className="toggle">
          <input
            type="checkbox"
            checked={showTransitions}
            onChange={(event) => setShowTransitions(event.target.checked)}
          />{' '}
          transitions
        </label>
      </h2>
      {/* Without it, the initial-state dots read as "active" next to the highlighted state. */}
      <p className="muted legend" data-testid="statechart-legend">
        Highlighted: where the meeting is now. ● where each level starts.
      </p>
      <div className="states">
        {meetingChart.map((state) => (
          <StateBox key={state.id} state={state} active={active} showTransitions={showTransitions} />
        ))}
      </div>
    </section>
  )
}
