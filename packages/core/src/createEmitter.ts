import { rethrowLater } from './platform.js'

// biome-ignore lint/suspicious/noExplicitAny: listener maps are checked where they are declared
type ListenerMap = { [TEvent in string]: (...args: any[]) => void }

/**
 * A typed event emitter over one event map (LiveKit's `RoomEventCallbacks` idea). A listener that throws
 * is reported as an uncaught error and stops nothing: neither the other listeners nor the meeting.
 */
export function createEmitter<TMap extends { [TEvent in keyof TMap]: ListenerMap[string] }>() {
  const listeners = new Map<keyof TMap, Set<TMap[keyof TMap]>>()
  return {
    on<TEvent extends keyof TMap>(event: TEvent, listener: TMap[TEvent]): () => void {
      let set = listeners.get(event)
      if (!set) {
        set = new Set()
        listeners.set(event, set)
      }
      set.add(listener)
      return () => {
        set.delete(listener)
      }
    },
    fire<TEvent extends keyof TMap>(event: TEvent, ...args: Parameters<TMap[TEvent]>): void {
      const set = listeners.get(event)
      if (!set) return
      for (const listener of [...set]) {
        try {
          listener(...args)
        } catch (error) {
          rethrowLater(error)
        }
      }
    },
  }
}
