import type { AnyStateMachine } from 'xstate'

interface TransitionLike {
  source: { id: string; transitions: Map<string, unknown[]>; always?: unknown[] }
  eventType: string
}

// Stable names for transitions across `machine.provide(...)` copies: source state, event, branch index.
export function transitionKey(transition: TransitionLike): string {
  const { source, eventType } = transition
  const list = eventType === '' ? (source.always ?? []) : (source.transitions.get(eventType) ?? [])
  return `${source.id} --${eventType || 'always'}#${list.indexOf(transition)}`
}

/** Every transition the machine defines, by `transitionKey`. */
export function allTransitions(machine: AnyStateMachine): string[] {
  const keys: string[] = []
  const visit = (node: AnyStateMachine['root']) => {
    for (const [eventType, list] of node.transitions) {
      for (let index = 0; index < list.length; index++) keys.push(`${node.id} --${eventType}#${index}`)
    }
    const always = node.always ?? []
    for (let index = 0; index < always.length; index++) keys.push(`${node.id} --always#${index}`)
    for (const child of Object.values(node.states)) visit(child as AnyStateMachine['root'])
  }
  visit(machine.root)
  return keys
}
