import type { Transport, TransportSession } from './transport.js'

// What a wrapper around a transport passes on unchanged (`tapTransport`, the conformance suite's
// simulated faults, test transports), written once: an optional method added to `TransportSession`
// must be listed here, or this file does not compile, and then every wrapper forwards it.

/** The declarations a wrapper must pass on: `name`, and `presence` and `identity` where the transport set them. */
export function transportTraits(inner: Transport): Pick<Transport, 'name' | 'presence' | 'identity'> {
  return {
    name: inner.name,
    ...(inner.presence ? { presence: inner.presence } : {}),
    ...(inner.identity ? { identity: inner.identity } : {}),
  }
}

/** A session's optional methods: core calls each only where the transport has it. */
export type OptionalSessionMethods = Omit<TransportSession, 'events' | 'send' | 'address'>

// Every optional method, once (`satisfies`: none missing, none made up).
const OPTIONAL_METHODS = {
  closeLink: true,
  admitLink: true,
  releaseLocalMedia: true,
  setLocalMedia: true,
  drain: true,
} as const satisfies Record<keyof OptionalSessionMethods, true>

/**
 * The optional methods `session` has, bound to it, for a wrapper to spread into its own session; one
 * it lacks stays absent (not a no-op), so core still sees the transport does not offer it.
 */
export function optionalMethods(session: TransportSession): OptionalSessionMethods {
  const forwarded: Record<string, unknown> = {}
  for (const name of Object.keys(OPTIONAL_METHODS) as (keyof OptionalSessionMethods)[]) {
    const method = session[name]
    if (method !== undefined) forwarded[name] = method.bind(session)
  }
  return forwarded as OptionalSessionMethods
}
