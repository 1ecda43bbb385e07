/** Runs tasks at given times on one `setTimeout` chain, in due-time order, FIFO among equal due times. */
export interface Scheduler {
  /** The clock due times are measured on (`Date.now`, which fake timers control). */
  now(): number
  /** Runs `task` at `dueAt`, after every task already scheduled for the same or an earlier time. */
  at(dueAt: number, task: () => void): void
}

/**
 * One timer for the whole network rather than one per delivery: Node does not promise an order between
 * timers of different durations that expire in the same millisecond, and FIFO per link must hold even
 * then. Tasks that fall due together run in one timer callback, like a batch of packets.
 */
export function createScheduler(onTaskError: (error: unknown) => void): Scheduler {
  const buckets = new Map<number, Array<() => void>>()
  const dueTimes: number[] = [] // a min-heap of the keys of `buckets`
  let timer: ReturnType<typeof setTimeout> | undefined
  let armedFor = Number.POSITIVE_INFINITY

  const arm = () => {
    const next = dueTimes[0]
    if (next === undefined || next >= armedFor) return
    if (timer !== undefined) clearTimeout(timer)
    armedFor = next
    timer = setTimeout(fire, Math.max(0, next - Date.now()))
  }

  const fire = () => {
    timer = undefined
    armedFor = Number.POSITIVE_INFINITY
    // A real timer may fire a hair before Date.now() reaches its due time; always make progress.
    const limit = Math.max(Date.now(), dueTimes[0] ?? 0)
    // Take the due buckets out first: tasks scheduled while these run wait for the next timer, so two
    // sessions answering each other at zero delay cannot starve the event loop.
    const due: Array<Array<() => void>> = []
    while (dueTimes.length > 0 && dueTimes[0]! <= limit) {
      const dueAt = popMin(dueTimes)
      due.push(buckets.get(dueAt)!)
      buckets.delete(dueAt)
    }
    try {
      for (const bucket of due) {
        for (const task of bucket) {
          try {
            task()
          } catch (error) {
            onTaskError(error)
          }
        }
      }
    } finally {
      arm()
    }
  }

  return {
    now: () => Date.now(),
    at(dueAt, task) {
      let bucket = buckets.get(dueAt)
      if (bucket === undefined) {
        bucket = []
        buckets.set(dueAt, bucket)
        pushHeap(dueTimes, dueAt)
        arm()
      }
      bucket.push(task)
    },
  }
}

function pushHeap(heap: number[], value: number): void {
  let i = heap.length
  heap.push(value)
  while (i > 0) {
    const parent = (i - 1) >> 1
    if (heap[parent]! <= value) break
    heap[i] = heap[parent]!
    i = parent
  }
  heap[i] = value
}

function popMin(heap: number[]): number {
  const top = heap[0]!
  const last = heap.pop()!
  if (heap.length === 0) return top
  let i = 0
  for (;;) {
    const left = 2 * i + 1
    if (left >= heap.length) break
    const right = left + 1
    const child = right < heap.length && heap[right]! < heap[left]! ? right : left
    if (heap[child]! >= last) break
    heap[i] = heap[child]!
    i = child
  }
  heap[i] = last
  return top
}
