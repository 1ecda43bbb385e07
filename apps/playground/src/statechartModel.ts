import type { AnyStateMachine } from 'xstate'

type StateNode = AnyStateMachine['root']
type Transition = { eventType: string; target?: readonly StateNode[]; guard?: unknown }

/** One state of the machine, as the statechart panel draws it. */
export interface ChartState {
  /** XState's node id, such as `meeting.joined.connected`. */
  readonly id: string
  readonly key: string
  /** The dotted path below the root (`joined.connected`), what `snapshot.matches` takes. */
  readonly path: string
  readonly type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history'
  readonly initial: boolean
  readonly children: readonly ChartState[]
  /** Transitions leaving this state for another (or re-entering it, as timers do). */
  readonly transitions: readonly ChartTransition[]
}

export interface ChartTransition {
  /** `JOIN`, `after joinTimeout`, `always`, with the guard in brackets. */
  readonly label: string
  /** Target paths below the root. */
  readonly targets: readonly string[]
}

const pathOf = (node: StateNode) => node.path.join('.')

function label(transition: Transition): string {
  const after = /^xstate\.after\.([^.]+)\./.exec(transition.eventType)
  const event = after ? `after ${after[1]}` : transition.eventType || 'always'
  const guard = transition.guard as string | { type?: string; guards?: unknown[] } | undefined
  const guardName =
    typeof guard === 'string'
      ? guard
      : guard?.guards?.map((g) => (typeof g === 'string' ? g : '…')).join(' && ') || guard?.type
  return guardName ? `${event} [${guardName}]` : event
}

function toChart(node: StateNode): ChartState {
  const initialTarget = node.parent?.initial?.target[0] as StateNode | undefined
  const all: Transition[] = [...[...node.transitions.values()].flat(), ...(node.always ?? [])]
  const transitions = all
    .filter((t) => (t.target?.length ?? 0) > 0)
    .map((t) => ({ label: label(t), targets: (t.target ?? []).map(pathOf) }))
  return {
    id: node.id,
    key: node.key,
    path: pathOf(node),
    type: node.type,
    initial: initialTarget === node,
    children: (Object.values(node.states) as StateNode[]).map(toChart),
    transitions,
  }
}

/**
 * The machine's states, read from its definition (`machine.root`), so the panel can never drift from
 * the statechart that runs.
 */
export function chartOf(machine: AnyStateMachine): readonly ChartState[] {
  return (Object.values(machine.root.states) as StateNode[]).map(toChart)
}

/** Every state path of the chart, parents before children. */
export function allPaths(states: readonly ChartState[]): string[] {
  return states.flatMap((state) => [state.path, ...allPaths(state.children)])
}
