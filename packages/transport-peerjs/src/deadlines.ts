import { type Subscription, timer } from 'rxjs'

/**
 * One deadline per key: `then` runs `ms` after `start`, unless `cancel` comes first. A key keeps its
 * deadline once it has passed, until cancelled, so starting it again does nothing: what it reports is
 * reported once.
 */
export class Deadlines {
  private readonly timers = new Map<string, Subscription>()

  start(key: string, ms: number, then: () => void): void {
    if (this.timers.has(key)) return
    this.timers.set(key, timer(ms).subscribe(then))
  }

  cancel(key: string): void {
    this.timers.get(key)?.unsubscribe()
    this.timers.delete(key)
  }

  cancelAll(): void {
    for (const deadline of this.timers.values()) deadline.unsubscribe()
    this.timers.clear()
  }
}
