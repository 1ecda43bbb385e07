/**
 * The transport's own stream helpers (written on `new Observable` to keep `innerFrom` out of an app's
 * bundle) behave as the RxJS operators they stand for: values, completion, errors and teardown.
 */
import { EventEmitter } from 'node:events'
import { map, type Observable, Subject, timer } from 'rxjs'
import { describe, expect, it } from 'vitest'
import { GaveUp, withBackoff } from '../src/backoff.js'
import { fromEmitter } from '../src/fromEmitter.js'
import { exhaustFlatMap, flatMap, fromPromise, merged, replaceError, until } from '../src/operators.js'

interface Seen<T> {
  values: T[]
  done: boolean
  error: unknown
}

function watch<T>(source: Observable<T>): Seen<T> & { stop(): void } {
  const seen: Seen<T> = { values: [], done: false, error: undefined }
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

describe('fromEmitter', () => {
  it('listens on an EventTarget and a Node emitter from subscribe to unsubscribe, first argument only', () => {
    const target = new EventTarget()
    const emitter = new EventEmitter()
    const dom = watch(fromEmitter<Event>(target, 'ping'))
    const node = watch(fromEmitter<number>(emitter, 'ping'))
    target.dispatchEvent(new Event('ping'))
    emitter.emit('ping', 1, 'extra')
    expect(dom.values.map((e) => e.type)).toEqual(['ping'])
    expect(node.values).toEqual([1])
    expect(emitter.listenerCount('ping')).toBe(1)
    node.stop()
    dom.stop()
    expect(emitter.listenerCount('ping')).toBe(0)
    target.dispatchEvent(new Event('ping'))
    expect(dom.values).toHaveLength(1)
  })

  it('fails the subscriber for something that is not an emitter', () => {
    expect(watch(fromEmitter({}, 'ping')).error).toBeInstanceOf(TypeError)
  })
})

describe('merged and until', () => {
  it('merged emits every source, completes with the last and fails with the first', () => {
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
    const failing = watch(merged(c, new Subject<number>()))
    c.error(new Error('boom'))
    expect(failing.error).toEqual(new Error('boom'))
    expect(watch(merged()).done).toBe(true)
  })

  it('until completes when the notifier emits and unsubscribes the source', () => {
    const source = new Subject<number>()
    const stop = new Subject<void>()
    const seen = watch(source.pipe(until(stop)))
    source.next(1)
    stop.next()
    source.next(2)
    expect(seen).toMatchObject({ values: [1], done: true })
    expect(source.observed).toBe(false)
    expect(stop.observed).toBe(false)
  })
})

describe('flatMap and exhaustFlatMap', () => {
  it('flatMap emits arrays at once, runs Observables alongside, and completes after all of them', () => {
    const source = new Subject<number>()
    const inner = new Subject<string>()
    const seen = watch(source.pipe(flatMap((n) => (n === 0 ? inner : [`${n}a`, `${n}b`]))))
    source.next(1)
    source.next(0)
    inner.next('x')
    source.next(2)
    source.complete()
    expect(seen.done).toBe(false)
    inner.complete()
    expect(seen).toMatchObject({ values: ['1a', '1b', 'x', '2a', '2b'], done: true })
  })

  it('flatMap fails with what its projection throws', () => {
    const source = new Subject<number>()
    const seen = watch(
      source.pipe(
        flatMap((): number[] => {
          throw new Error('bad')
        }),
      ),
    )
    source.next(1)
    expect(seen.error).toEqual(new Error('bad'))
    expect(source.observed).toBe(false)
  })

  it('exhaustFlatMap drops values while one runs, including after one that completed at once', () => {
    const source = new Subject<number>()
    const inners = new Map<number, Subject<number>>()
    const seen = watch(
      source.pipe(
        exhaustFlatMap((n) => {
          if (n === 0) return merged<number>()
          const inner = new Subject<number>()
          inners.set(n, inner)
          return inner.pipe(map((v) => n * 10 + v))
        }),
      ),
    )
    source.next(0)
    source.next(1)
    source.next(2)
    inners.get(1)?.next(1)
    inners.get(1)?.complete()
    source.next(3)
    inners.get(3)?.next(3)
    source.complete()
    expect(seen.done).toBe(false)
    inners.get(3)?.complete()
    expect([...inners.keys()]).toEqual([1, 3])
    expect(seen).toMatchObject({ values: [11, 33], done: true })
  })
})

describe('replaceError and fromPromise', () => {
  it('replaceError puts at most one value in place of the error, then completes', () => {
    const source = new Subject<number>()
    const seen = watch(source.pipe(replaceError((error) => (error === 'tell' ? -1 : undefined))))
    source.next(1)
    source.error('tell')
    expect(seen).toMatchObject({ values: [1, -1], done: true, error: undefined })
    const quiet = new Subject<number>()
    const silent = watch(quiet.pipe(replaceError(() => undefined)))
    quiet.error('other')
    expect(silent).toMatchObject({ values: [], done: true })
  })

  it('fromPromise starts at subscribe, and says nothing after an unsubscribe', async () => {
    let started = 0
    const source = fromPromise(async () => {
      started += 1
      return 'value'
    })
    expect(started).toBe(0)
    const seen = watch(source)
    const gone = watch(source)
    gone.stop()
    const failed = watch(fromPromise(() => Promise.reject(new Error('no'))))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(started).toBe(2)
    expect(seen).toMatchObject({ values: ['value'], done: true })
    expect(gone).toMatchObject({ values: [], done: false })
    expect(failed.error).toEqual(new Error('no'))
  })
})

describe('withBackoff', () => {
  const down = () => fromPromise<number>(() => Promise.reject(new Error('down')))
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  it('waits delayMs(n) before attempt n, retries failed attempts, and completes with the first that completes', async () => {
    const asked: number[] = []
    const tried: number[] = []
    const seen = watch(
      withBackoff(
        (n) => {
          tried.push(n)
          return n < 3 ? down() : merged(timer(0).pipe(map(() => n)))
        },
        (n) => {
          asked.push(n)
          return 1
        },
      ),
    )
    expect(asked).toEqual([1])
    expect(tried).toEqual([])
    await pause(60)
    expect(seen).toMatchObject({ values: [3], done: true })
    expect(tried).toEqual([1, 2, 3])
    expect(asked).toEqual([1, 2, 3])
  })

  it('fails with GaveUp (the attempts made) when delayMs says null', async () => {
    const seen = watch(withBackoff(down, (n) => (n <= 3 ? 0 : null)))
    await pause(60)
    expect(seen.error).toBeInstanceOf(GaveUp)
    expect((seen.error as GaveUp).attempts).toBe(3)
  })

  it('stops trying at unsubscribe', async () => {
    let tries = 0
    const seen = watch(
      withBackoff(
        () => {
          tries += 1
          return down()
        },
        () => 1,
      ),
    )
    await pause(20)
    seen.stop()
    const atStop = tries
    await pause(30)
    expect(atStop).toBeGreaterThan(0)
    expect(tries).toBe(atStop)
  })
})
