import type { CreateMeetingOptions, Observer, Transport, TransportEvent } from '../../src/index.js'
import { createWorld, type Person } from './world.js'

/**
 * A memory network whose transport also carries a signalling server's view of who is connected
 * (`signalling-presence`): the test speaks for that server, telling a session which others it sees.
 */
export function signallingWorld(presence: 'core' | 'transport' = 'core') {
  const world = createWorld()
  const observers = new Map<string, Observer<TransportEvent>>()
  /** When each session last heard a message, by the fake clock. */
  const lastHeard = new Map<string, number>()
  /** The links each session has up, and those of them it cannot send to (`mute`). */
  const linksUp = new Map<string, Set<string>>()
  const muted = new Map<string, Set<string>>()
  const transport = (): Transport => {
    const inner = world.network.transport()
    return {
      name: 'signalling',
      presence,
      session(options) {
        const session = inner.session(options)
        const up = new Set<string>()
        linksUp.set(options.sessionId, up)
        const silenced = () => muted.get(options.sessionId) ?? new Set<string>()
        return {
          get address() {
            return session.address
          },
          events: {
            subscribe(observer) {
              observers.set(options.sessionId, observer)
              const subscription = session.events.subscribe({
                next(event) {
                  if (event.type === 'message') lastHeard.set(options.sessionId, Date.now())
                  if (event.type === 'link-up') up.add(event.linkId)
                  if (event.type === 'link-down') up.delete(event.linkId)
                  observer.next?.(event)
                },
              })
              return {
                unsubscribe() {
                  observers.delete(options.sessionId)
                  subscription.unsubscribe()
                },
              }
            },
          },
          send: (message, to, delivery) => {
            const off = silenced()
            if (to !== undefined) {
              if (!off.has(to)) session.send(message, to, delivery)
            } else if (off.size === 0) session.send(message, to, delivery)
            else for (const link of up) if (!off.has(link)) session.send(message, link, delivery)
          },
          drain: () => session.drain?.() ?? Promise.resolve(),
        }
      },
    }
  }
  const person = (
    id: string,
    role: 'host' | 'participant' = 'participant',
    extra: Partial<CreateMeetingOptions> = {},
  ) => world.person(id, role, { transport: transport(), ...extra })
  /** The server tells `to` which sessions it sees connected (`null`: `to` cannot tell). */
  const report = (to: Person, connected: readonly Person[] | null) =>
    emit(to, {
      type: 'signalling-presence',
      connected: connected === null ? null : connected.map((p) => p.meeting.localParticipant.sessionId),
    })
  /** Hands `to` any event, as a faulty transport might. */
  const emit = (to: Person, event: unknown) =>
    observers.get(to.meeting.localParticipant.sessionId)?.next?.(event as TransportEvent)
  /**
   * What `from` sends to `to` is lost (`true`) or goes through again (`false`), one way only: a
   * WebRTC link that carries nothing in one direction for a while, or is down and redialling.
   */
  const mute = (from: Person, to: Person, lost = true) => {
    const key = from.meeting.localParticipant.sessionId
    const set = muted.get(key) ?? new Set<string>()
    if (lost) set.add(to.meeting.localParticipant.sessionId)
    else set.delete(to.meeting.localParticipant.sessionId)
    muted.set(key, set)
  }
  /** When `p` last heard anyone (ms, fake clock). */
  const heardAt = (p: Person) => lastHeard.get(p.meeting.localParticipant.sessionId) ?? Number.NaN
  return { ...world, person, report, emit, heardAt, mute }
}

/** The report core keeps (internal: read from the statechart's context for tests only). */
export function storedReport(p: Person): string[] | null {
  const context = p.meeting.actor.getSnapshot().context as unknown as {
    session: { signalling: ReadonlySet<string> | null }
  }
  const { signalling } = context.session
  return signalling === null ? null : [...signalling].sort()
}
