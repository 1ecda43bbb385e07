import { useSyncExternalStore } from 'react'
import type { InspectorBridge } from './inspectorBridge.js'

/** Attaches Stately's browser inspector to the meeting actor, and says plainly when it cannot. */
export function InspectSwitch({ bridge }: { bridge: InspectorBridge }) {
  const status = useSyncExternalStore(bridge.subscribe, bridge.getStatus)
  // Unreachable reads as off: the window is closed and nothing is attached; ticking again retries.
  const on = status.kind === 'connecting' || status.kind === 'connected'
  return (
    <div className="inspect" data-testid="inspect" data-status={status.kind}>
      <label>
        <input
          type="checkbox"
          role="switch"
          aria-checked={on}
          checked={on}
          onChange={(event) => (event.target.checked ? bridge.enable() : bridge.disable())}
        />{' '}
        Inspect
      </label>
      {status.kind === 'connecting' && <span className="muted"> opening {status.url}…</span>}
      {status.kind === 'connected' && <span className="ok"> connected to {status.url}</span>}
      {status.kind === 'unreachable' && (
        <span className="warn" role="alert">
          {' '}
          Inspector cannot be reached: {status.why}. Switched off; the meeting runs on without it.
        </span>
      )}
    </div>
  )
}
