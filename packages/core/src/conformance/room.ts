import { createMeeting } from '../createMeeting.js'
import { isMeetingError } from '../MeetingError.js'
import type { CreateMeetingOptions, ParticipantRole } from '../types.js'
import { type Person, recordPerson } from './person.js'
import type { ConformanceHarness, ConformanceWorld } from './types.js'

export type { Person } from './person.js'

/** A scenario failed: what was expected, and what everyone had been told. */
export class ConformanceFailure extends Error {
  override readonly name = 'ConformanceFailure'
}

const DEFAULTS = {
  heartbeatIntervalMs: 1000,
  departureTimeoutMs: 3000,
  joinTimeoutMs: 15_000,
  leaveTimeoutMs: 1000,
  reconnectTimeoutMs: 30_000,
}

let rooms = 0
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))
const codeOf = (error: unknown) => (isMeetingError(error) ? error.code : String(error))

/** The people of one scenario on one world, and the waits and checks every scenario uses. */
export class Room {
  readonly meetingId = `conformance-${++rooms}-${Math.random().toString(36).slice(2, 8)}`
  readonly timing: typeof DEFAULTS
  readonly patienceMs: number
  /** Long enough for a spurious departure to show (see `ConformanceHarness.quietMs`). */
  readonly quietMs: number
  private readonly people: Person[] = []
  private readonly unexpected: string[] = []

  constructor(
    readonly harness: ConformanceHarness,
    readonly world: ConformanceWorld,
  ) {
    this.timing = { ...DEFAULTS, ...harness.timing }
    this.patienceMs = harness.patienceMs ?? 20_000
    this.quietMs =
      harness.quietMs ?? this.timing.departureTimeoutMs + 2 * this.timing.heartbeatIntervalMs + 500
  }

  /** A participant's meeting on this world's transport, every event recorded and every error judged. */
  person(
    id: string,
    role: ParticipantRole = 'participant',
    extra: Partial<CreateMeetingOptions> = {},
  ): Person {
    const meeting = createMeeting({
      meetingId: this.meetingId,
      participant: { id, name: id, role },
      transport: this.world.transport(id),
      ...this.harness.timing,
      ...extra,
    })
    const person = recordPerson(id, meeting, (line) => this.unexpected.push(line))
    this.people.push(person)
    return person
  }

  /** Joins each in turn (each `join()` must resolve), then waits until their rosters agree. */
  async join(...persons: Person[]): Promise<void> {
    for (const p of persons) await this.within(p.meeting.join(), `${p.id}'s join()`)
    await this.converged(persons)
  }

  /** Host `alice` and `count - 1` others (`bob`, `carol`, `dave`, `erin`, ...), joined in turn, all seeing each other. */
  async gather(count: number): Promise<Person[]> {
    const names = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi']
    const persons = names.slice(0, count).map((id, i) => this.person(id, i === 0 ? 'host' : 'participant'))
    await this.join(...persons)
    return persons
  }

  /** Waits until every one of `persons` sees exactly the others. */
  converged(persons: readonly Person[]): Promise<void> {
    const expected = (p: Person) =>
      persons
        .filter((o) => o !== p)
        .map((o) => o.id)
        .sort()
    return this.until(`rosters converge on ${persons.map((p) => p.id).join(', ')}`, () =>
      persons.every((p) => same(p.roster(), expected(p))),
    )
  }

  /** Polls `check` until it holds; fails after the harness's patience, or at once on an unexpected error. */
  async until(what: string, check: () => boolean, timeoutMs = this.patienceMs): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      this.noUnexpectedErrors()
      if (check()) return
      if (Date.now() > deadline) this.fail(`timed out after ${timeoutMs} ms waiting until ${what}`)
      await sleep(25)
    }
  }

  /** Resolves as `promise` does; fails if it takes longer than the harness's patience. */
  async within<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ConformanceFailure(`${what} took longer than ${this.patienceMs} ms`)),
        this.patienceMs,
      )
    })
    try {
      return await Promise.race([
        promise.catch((error: unknown) => this.fail(`${what} rejected ${codeOf(error)}`)),
        late,
      ])
    } finally {
      clearTimeout(timer)
    }
  }

  /** The code `promise` rejects with; fails if it resolves. */
  async rejection(promise: Promise<unknown>, what: string): Promise<string> {
    try {
      await promise
    } catch (error) {
      return codeOf(error)
    }
    return this.fail(`${what} resolved; expected a rejection`)
  }

  /** Lets `ms` pass, failing at once on an unexpected error. */
  async pause(ms: number): Promise<void> {
    const deadline = Date.now() + ms
    while (Date.now() < deadline) {
      this.noUnexpectedErrors()
      await sleep(Math.min(25, deadline - Date.now()))
    }
    this.noUnexpectedErrors()
  }

  /** Waits long enough for a spurious departure or a second announcement to show up. */
  quiet(): Promise<void> {
    return this.pause(this.quietMs)
  }

  check(condition: boolean, message: string): void {
    if (!condition) this.fail(message)
  }

  /** Checks two lists of what someone was told are equal. */
  same(actual: readonly string[], expected: readonly string[], whose: string): void {
    if (!same(actual, expected))
      this.fail(`${whose}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`)
  }

  fail(message: string): never {
    const log = this.people.map((person) => `  ${person.id}: ${person.told.join(', ')}`).join('\n')
    throw new ConformanceFailure(`[${this.harness.name}] ${message}\nwhat each participant was told:\n${log}`)
  }

  noUnexpectedErrors(): void {
    if (this.unexpected.length > 0) this.fail(`unexpected error events:\n  ${this.unexpected.join('\n  ')}`)
  }

  dispose(): void {
    for (const person of this.people) person.meeting.dispose()
  }
}

const same = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x, i) => x === b[i])

/** Starts a world, runs `body` in a room on it, and always disposes every meeting and stops the world. */
export async function inRoom(
  harness: ConformanceHarness,
  options: { auth: boolean },
  body: (room: Room) => Promise<void>,
): Promise<void> {
  const world = await harness.start(options)
  const room = new Room(harness, world)
  try {
    await body(room)
    room.noUnexpectedErrors()
  } finally {
    room.dispose()
    await world.stop()
  }
}
