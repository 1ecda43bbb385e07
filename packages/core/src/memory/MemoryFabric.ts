import { MeetingError } from '../MeetingError.js'
import type { LinkId, Observer, TransportEvent, TransportSessionOptions } from '../transport.js'
import type { FaultModel } from './faultModel.js'
import type { Scheduler } from './scheduler.js'
import { type EndedSessionRecord, openRecord, type SessionRecord } from './sessionRecord.js'
import type { MemoryNetworkStats, MemoryObserverErrorInfo } from './types.js'

type LinkEventType = 'link-up' | 'link-down'
type Counters = { -readonly [K in keyof MemoryNetworkStats]: number }

/** Rooms, routing and delivery. Participant-level controls and validation live in `createMemoryNetwork`. */
export class MemoryFabric {
  readonly stats: Counters = { sent: 0, delivered: 0, dropped: 0, duplicated: 0 }
  /** Every session ever opened, by session id; ended ones shrink to what `sessions()` reports. */
  readonly records = new Map<string, SessionRecord | EndedSessionRecord>()
  /** Live (open or disconnected) sessions per participant id. */
  readonly byParticipant = new Map<string, Set<SessionRecord>>()
  readonly offline = new Set<string>()
  partitions: Array<ReadonlyMap<string, number>> = []
  /** Live sessions per meeting id. */
  private readonly rooms = new Map<string, Map<LinkId, SessionRecord>>()

  constructor(
    private readonly scheduler: Scheduler,
    public faults: FaultModel,
    private readonly onObserverError: (error: unknown, info: MemoryObserverErrorInfo) => void,
  ) {}

  open(options: TransportSessionOptions, observer: Observer<TransportEvent>): SessionRecord {
    const record = openRecord(options, observer)
    if (this.records.has(options.sessionId)) {
      // Link ids are session ids: a second session under the same id would receive the first one's traffic.
      record.state = 'closed'
      const error = MeetingError.invalidOption(
        'sessionId',
        `session "${options.sessionId}" was already opened on this network`,
      )
      this.post(record, { type: 'error', error, fatal: true })
      return record
    }
    this.records.set(record.sessionId, record)
    const room = this.rooms.get(record.meetingId) ?? new Map<LinkId, SessionRecord>()
    this.rooms.set(record.meetingId, room.set(record.sessionId, record))
    const own = this.byParticipant.get(record.participantId) ?? new Set<SessionRecord>()
    this.byParticipant.set(record.participantId, own.add(record))
    if (this.offline.has(record.participantId)) {
      record.state = 'disconnected'
      record.awaitingReady = true
    } else {
      this.announce(record, 'ready', new Set([record]))
    }
    return record
  }

  /** Clean close: peers get `link-down`, after whatever this session still has in flight to them. */
  close(record: SessionRecord): void {
    record.observer = null
    if (record.state !== 'open' && record.state !== 'disconnected') return
    const wasOpen = record.state === 'open'
    this.detach(record, 'closed')
    if (!wasOpen) return
    const room = this.rooms.get(record.meetingId)
    if (room === undefined) return
    for (const peer of room.values()) if (peer.state === 'open') this.linkEvent(record, peer, 'link-down')
  }

  crash(record: SessionRecord, linkDownAfterMs: number | undefined): boolean {
    if (record.state !== 'open' && record.state !== 'disconnected') return false
    record.observer = null
    this.detach(record, 'crashed')
    if (linkDownAfterMs !== undefined) {
      const at = this.scheduler.now() + linkDownAfterMs
      for (const peer of this.rooms.get(record.meetingId)?.values() ?? [])
        this.linkEvent(record, peer, 'link-down', at)
    }
    return true
  }

  goOffline(record: SessionRecord): boolean {
    if (record.state !== 'open') return false
    record.state = 'disconnected'
    record.epoch++
    this.post(record, { type: 'disconnected' })
    return true
  }

  /** Brings sessions back together, so sessions coming back at once meet each other exactly once. */
  goOnline(records: readonly SessionRecord[]): number {
    const back = new Set(records.filter((record) => record.state === 'disconnected'))
    for (const record of back) record.state = 'open'
    for (const record of back) this.announce(record, record.awaitingReady ? 'ready' : 'reconnected', back)
    return back.size
  }

  send(from: SessionRecord | null, data: unknown, to: LinkId | undefined): void {
    // `?? 'null'`: JSON has no `undefined`; a wire would carry nothing, and the receiver must cope anyway.
    const json = JSON.stringify(data) ?? 'null'
    const live = from !== null && (from.state === 'open' || from.state === 'disconnected')
    const room = live ? this.rooms.get(from.meetingId) : undefined
    if (to !== undefined) {
      this.transmit(from, room?.get(to), json)
    } else if (room !== undefined) {
      for (const peer of room.values()) if (peer !== from) this.transmit(from, peer, json)
    }
  }

  drain(record: SessionRecord | null): Promise<void> {
    if (record === null || record.inFlight === 0) return Promise.resolve()
    return new Promise((resolve) => record.drainWaiters.push(resolve))
  }

  /** Queues a session-level event; it arrives unless the session closes or crashes first. */
  post(record: SessionRecord, event: TransportEvent): void {
    this.scheduler.at(this.scheduler.now(), () => this.emit(record, event))
  }

  emit(record: SessionRecord, event: TransportEvent): void {
    const observer = record.observer
    if (observer === null || typeof observer.next !== 'function') return
    try {
      observer.next(event)
    } catch (error) {
      this.onObserverError(error, { sessionId: record.sessionId })
    }
  }

  private announce(
    record: SessionRecord,
    kind: 'ready' | 'reconnected',
    arriving: ReadonlySet<SessionRecord>,
  ): void {
    const peers: SessionRecord[] = []
    for (const peer of this.rooms.get(record.meetingId)!.values()) {
      if (peer !== record && peer.state === 'open') peers.push(peer)
    }
    record.awaitingReady = false
    this.post(
      record,
      kind === 'ready' ? { type: 'ready', peers: peers.map((peer) => peer.sessionId) } : { type: kind },
    )
    for (const peer of peers) this.linkEvent(peer, record, 'link-up')
    // Peers arriving in the same batch learn about `record` from their own announce().
    for (const peer of peers) if (!arriving.has(peer)) this.linkEvent(record, peer, 'link-up')
  }

  private detach(record: SessionRecord, state: 'closed' | 'crashed'): void {
    record.state = state
    // A long-lived network sees sessions come and go all day: keep four fields of each, not its queues.
    const { sessionId, participantId, meetingId } = record
    this.records.set(sessionId, { sessionId, participantId, meetingId, state, observer: null })
    const room = this.rooms.get(record.meetingId)
    room?.delete(record.sessionId)
    if (room?.size === 0) this.rooms.delete(record.meetingId)
    const own = this.byParticipant.get(record.participantId)
    own?.delete(record)
    if (own?.size === 0) this.byParticipant.delete(record.participantId)
  }

  private transmit(from: SessionRecord | null, to: SessionRecord | undefined, json: string): void {
    this.stats.sent++
    if (from === null || to === undefined || to === from || !this.canCarry(from, to) || this.faults.drops()) {
      this.stats.dropped++
      return
    }
    this.enqueue(from, to, json)
    if (this.faults.duplicates()) {
      this.stats.duplicated++
      this.enqueue(from, to, json)
    }
  }

  private canCarry(from: SessionRecord, to: SessionRecord): boolean {
    return from.state === 'open' && to.state === 'open' && !this.isPartitioned(from, to)
  }

  private isPartitioned(a: SessionRecord, b: SessionRecord): boolean {
    for (const groupOf of this.partitions) {
      const groupA = groupOf.get(a.participantId)
      const groupB = groupOf.get(b.participantId)
      if (groupA !== undefined && groupB !== undefined && groupA !== groupB) return true
    }
    return false
  }

  private enqueue(from: SessionRecord, to: SessionRecord, json: string): void {
    const earliest = this.scheduler.now() + this.faults.delay()
    const dueAt = this.faults.reorder ? earliest : this.fifoDueAt(from, to, earliest)
    const { epoch: fromEpoch } = from
    const { epoch: toEpoch } = to
    from.inFlight++
    this.scheduler.at(dueAt, () => {
      // A sender that crashed after sending still gets through (its goodbye was already on the wire);
      // one that went offline does not, and nothing reaches a recipient that is gone or went offline.
      if (
        to.state === 'open' &&
        to.epoch === toEpoch &&
        from.epoch === fromEpoch &&
        !this.isPartitioned(from, to)
      ) {
        this.stats.delivered++
        // Parsed per delivery: every recipient gets its own copy, as over a wire.
        this.emit(to, { type: 'message', linkId: from.sessionId, data: JSON.parse(json) })
      } else {
        this.stats.dropped++
      }
      this.settle(from, to, dueAt)
      if (--from.inFlight === 0) for (const resolve of from.drainWaiters.splice(0)) resolve()
    })
  }

  private linkEvent(
    from: SessionRecord,
    to: SessionRecord,
    type: LinkEventType,
    earliest = this.scheduler.now(),
  ): void {
    const dueAt = this.fifoDueAt(from, to, earliest)
    const { epoch: toEpoch } = to
    this.scheduler.at(dueAt, () => {
      if (to.state === 'open' && to.epoch === toEpoch) this.emit(to, { type, linkId: from.sessionId })
      this.settle(from, to, dueAt)
    })
  }

  private fifoDueAt(from: SessionRecord, to: SessionRecord, earliest: number): number {
    const last = from.lastDue.get(to.sessionId)
    const dueAt = last !== undefined && last > earliest ? last : earliest
    if (dueAt > this.scheduler.now()) from.lastDue.set(to.sessionId, dueAt)
    return dueAt
  }

  private settle(from: SessionRecord, to: SessionRecord, dueAt: number): void {
    if (from.lastDue.get(to.sessionId) === dueAt) from.lastDue.delete(to.sessionId)
  }
}
