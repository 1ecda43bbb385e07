import type { AnyStateMachine } from 'xstate'

interface TransitionLike {
  source: { id: string; transitions: Map<string, unknown[]>; always?: unknown[] }
  eventType: string
  actions?: ReadonlyArray<{ type?: string; params?: unknown } | unknown>
}

// `receive` handles some messages in place, where a raised `peer.*` event would cost a statechart step
// of its own: each of those counts as a transition of its own (source state, message type), so a path
// still has to walk every one of them, leaves included, in every state that handles them.
const IN_PLACE = { inSession: ['hello', 'leave'], leaving: ['leave', 'ack'] } as const

function receiveParams(transition: TransitionLike): { leaving: boolean } | undefined {
  for (const action of transition.actions ?? []) {
    const { type, params } = action as { type?: string; params?: { leaving: boolean } }
    if (type === 'receive') return params
  }
  return undefined
}

function inPlaceKinds(transition: TransitionLike): readonly string[] {
  const params = receiveParams(transition)
  if (params === undefined) return []
  return params.leaving ? IN_PLACE.leaving : IN_PLACE.inSession
}

/** The in-place message handled by one taken transition, keyed as `transitionKey` plus the message type. */
export function messageKey(
  transition: TransitionLike,
  event: { type: string; data?: unknown },
): string | null {
  if (event.type !== 'transport.message' || transition.eventType !== 'transport.message') return null
  const kind = (event.data as { type?: unknown } | null | undefined)?.type
  if (typeof kind !== 'string' || !inPlaceKinds(transition).includes(kind)) return null
  return `${transitionKey(transition)} (${kind})`
}

// Stable names for transitions across `machine.provide(...)` copies: source state, event, branch index.
export function transitionKey(transition: TransitionLike): string {
  const { source, eventType } = transition
  const list = eventType === '' ? (source.always ?? []) : (source.transitions.get(eventType) ?? [])
  return `${source.id} --${eventType || 'always'}#${list.indexOf(transition)}`
}

/** Every transition the machine defines, by `transitionKey`, and every message `receive` handles in place. */
export function allTransitions(machine: AnyStateMachine): string[] {
  const keys: string[] = []
  const visit = (node: AnyStateMachine['root']) => {
    for (const [eventType, list] of node.transitions) {
      for (let index = 0; index < list.length; index++) {
        keys.push(`${node.id} --${eventType}#${index}`)
        for (const kind of inPlaceKinds(list[index] as TransitionLike)) {
          keys.push(`${node.id} --${eventType}#${index} (${kind})`)
        }
      }
    }
    const always = node.always ?? []
    for (let index = 0; index < always.length; index++) keys.push(`${node.id} --always#${index}`)
    for (const child of Object.values(node.states)) visit(child as AnyStateMachine['root'])
  }
  visit(machine.root)
  return keys
}
