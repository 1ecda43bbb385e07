/**
 * Core takes any RxJS `Observable` as a transport's event stream, with no adapter and without core
 * depending on RxJS: its `Subscribable` is XState's `InteropSubscribable`, which RxJS's `Observable` fits.
 */
import type { Observer, Subscribable, TransportEvent, TransportSession, Unsubscribable } from '@convene/core'
import { type Observable, of } from 'rxjs'
import { expectTypeOf, test } from 'vitest'

test("an RxJS Observable<TransportEvent> is a TransportSession's events", () => {
  expectTypeOf<Observable<TransportEvent>>().toExtend<TransportSession['events']>()
  const events: TransportSession['events'] = of<TransportEvent>({ type: 'ready', peers: [] })
  const subscription: Unsubscribable = events.subscribe({
    next: (event) => expectTypeOf(event).toEqualTypeOf<TransportEvent>(),
  })
  subscription.unsubscribe()
})

test('an Observable of something else is not', () => {
  expectTypeOf<Observable<string>>().not.toExtend<TransportSession['events']>()
})

test("core's stream types are XState's interop types", () => {
  expectTypeOf<Subscribable<number>>().toEqualTypeOf<import('xstate').InteropSubscribable<number>>()
  expectTypeOf<Observer<number>>().toEqualTypeOf<import('xstate').Observer<number>>()
  expectTypeOf<Unsubscribable>().toEqualTypeOf<import('xstate').Subscription>()
})
