import type { Observer, Transport, TransportEvent, TransportSession, Unsubscribable } from '../transport.js'
import { optionalMethods, transportTraits } from '../wrapTransport.js'

interface Tracked {
  readonly participantId: string
  readonly session: TransportSession
  observer: Observer<TransportEvent> | null
  inner: Unsubscribable | null
  silent: boolean
}

/** Options of {@link simulatedFaults}. */
export interface SimulatedFaultsOptions {
  /**
   * What a crashed (or closed) session's connections do. `'silent'`: they stay open and carry nothing,
   * as with a frozen process or a pulled cable: only heartbeats, or a server's ping timeout, can tell.
   * `'close'`: they are closed without a goodbye from core (the inner session is unsubscribed), as the
   * operating system closes a killed process's sockets: a transport whose presence is its connection (a
   * server-routed one) hears of it from the connection. A crash closes them at once; a closed tab once
   * its goodbye has left (the session's `drain()`, when it has one), as a page's last sends are handed
   * to the network before its connections go. Defaults to `'silent'`.
   */
  connections?: 'silent' | 'close'
}

/** Crash and closed tab at the transport contract, for a harness whose participants share one process. */
export interface SimulatedFaults {
  /** Wraps one participant's transport so `crash` and `closeTab` can reach its sessions. */
  wrap(participantId: string, transport: Transport): Transport
  /**
   * Every open session of the participant goes silent both ways: nothing it sends leaves, nothing
   * reaches it; its connections stay open or are closed, as `connections` says. The meeting runs on,
   * unheard, until it is disposed.
   */
  crash(participantId: string): void
  /**
   * Every open session of the participant hears `terminating`, as a transport reports a page going
   * away (what core sends in reply goes out, synchronously), then goes as in `crash`. Resolves once
   * its connections are closed (with `connections: 'close'`).
   */
  closeTab(participantId: string): Promise<void>
}

/**
 * Faults simulated around any transport, for participants that live in one process: a real crash
 * or closed tab needs a process or page of its own. Say so when you use them: they show how core and
 * the transport's links behave when a peer falls silent, not how the transport notices its own end.
 */
export function simulatedFaults(options: SimulatedFaultsOptions = {}): SimulatedFaults {
  const close = options.connections === 'close'
  const sessions = new Set<Tracked>()
  const closeConnections = (tracked: Tracked) => {
    tracked.inner?.unsubscribe()
    tracked.inner = null
  }
  const silence = (participantId: string, last?: TransportEvent): Tracked[] => {
    const silenced: Tracked[] = []
    for (const tracked of sessions) {
      if (tracked.participantId !== participantId || tracked.silent) continue
      if (last) tracked.observer?.next?.(last)
      tracked.silent = true
      silenced.push(tracked)
    }
    return silenced
  }
  return {
    wrap: (participantId, transport) => ({
      ...transportTraits(transport),
      session(sessionOptions) {
        const inner = transport.session(sessionOptions)
        const tracked: Tracked = { participantId, session: inner, observer: null, inner: null, silent: false }
        const session: TransportSession = {
          ...optionalMethods(inner),
          get address() {
            return inner.address
          },
          events: {
            subscribe(observer) {
              tracked.observer = observer
              sessions.add(tracked)
              tracked.inner = inner.events.subscribe({
                next: (event) => tracked.silent || observer.next?.(event),
                error: (error) => tracked.silent || observer.error?.(error),
                complete: () => tracked.silent || observer.complete?.(),
              })
              return {
                unsubscribe() {
                  sessions.delete(tracked)
                  tracked.inner?.unsubscribe()
                  tracked.inner = null
                },
              }
            },
          },
          send(message, to, delivery) {
            if (!tracked.silent) inner.send(message, to, delivery)
          },
        }
        return session
      },
    }),
    crash(participantId) {
      const silenced = silence(participantId)
      if (close) silenced.forEach(closeConnections)
    },
    async closeTab(participantId) {
      const silenced = silence(participantId, { type: 'terminating' })
      if (!close) return
      await Promise.all(
        silenced.map(async (tracked) => {
          await tracked.session.drain?.()
          closeConnections(tracked)
        }),
      )
    },
  }
}
