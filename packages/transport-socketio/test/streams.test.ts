/**
 * The relay session's stream helpers (written on `new Observable` to keep `innerFrom` out of an app's
 * bundle) behave as the RxJS functions they stand for: values, completion, errors and teardown.
 */
import { EventEmitter } from 'node:events'
import { type Observable, Subject } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { mapMany, merged, on } from '../src/streams.js'

function watch<T>(source: Observable<T>) {
  const seen = { values: [] as T[], done: false, error: undefined as unknown }
  const subscription = source.subscribe({
    next: (value) => seen.values.push(value),
    complete: () => {
      seen.done = true
    },
    error: (error: unknown) => {
      seen.error = error
    },
  })
  return Object.assign(seen, { stop: () => subscription.unsubscribe() })
}

describe('relay session streams', () => {
  it('on: an event’s first argument (Socket.IO adds the recovery offset after it), from subscribe to unsubscribe', () => {
    const socket = new EventEmitter()
    const seen = watch(on(socket, 'msg'))
    socket.emit('msg', { a: 1 }, 'offset-1')
    expect(socket.listenerCount('msg')).toBe(1)
    seen.stop()
    socket.emit('msg', { a: 2 })
    expect(seen.values).toEqual([{ a: 1 }])
    expect(socket.listenerCount('msg')).toBe(0)
  })

  it('merged: every source’s values; completes with the last, fails with the first', () => {
    const a = new Subject<number>()
    const b = new Subject<number>()
    const seen = watch(merged(a, b))
    a.next(1)
    b.next(2)
    a.complete()
    expect(seen.done).toBe(false)
    b.complete()
    expect(seen).toMatchObject({ values: [1, 2], done: true })
    const c = new Subject<number>()
    const d = new Subject<number>()
    const failing = watch(merged(c, d))
    c.error(new Error('boom'))
    expect(failing.error).toEqual(new Error('boom'))
    expect(d.observed).toBe(false)
  })

  it('mapMany: each value as the list made of it, in order; a throw fails the stream', () => {
    const source = new Subject<number>()
    const seen = watch(
      source.pipe(
        mapMany((n) => {
          if (n < 0) throw new Error('negative')
          return Array.from({ length: n }, (_, i) => `${n}.${i}`)
        }),
      ),
    )
    source.next(2)
    source.next(0)
    source.next(1)
    expect(seen.values).toEqual(['2.0', '2.1', '1.0'])
    source.next(-1)
    expect(seen.error).toEqual(new Error('negative'))
    expect(source.observed).toBe(false)
  })
})
