/**
 * Each false departure of a walk-through, explained from the pages' own records: how long the observer
 * had heard nothing from that session, whether the departed page sent meanwhile (and when that reached
 * the observer), where each main thread stalled, and how soon the participant was let back in.
 */
import type { LogEntry } from '../../apps/playground/src/logEntry.js'
import { type PageTrace, stallsIn } from './pageTrace.js'

export interface FalseDeparture {
  observer: string
  departed: string
  /** When the observer was told, in s from the walk-through's start. */
  atS: number
  /** The observer's silence from that session before it was told (ms), or null if never heard. */
  silentMs: number | null
  /** The departed session's own messages sent in that silence, and how many of them reached the observer before it was told. */
  sentInSilence: number
  arrivedInSilence: number
  /** How late the first of them reached the observer after it was told (ms), or null: never. */
  firstLateArrivalMs: number | null
  /** From the departure to the next message of that session to reach the observer (ms), or null: none. */
  nextHeardMs: number | null
  /** The departed page's main-thread stalls in the silence (`s+ms`). */
  departedStalls: string[]
  observerStalls: string[]
  /** From the departure to the same participant's next participant-joined at the observer (ms), or null. */
  backInMs: number | null
  /**
   * Whether the departed page was still in the meeting: `false` when it had left (Leave, or removed or
   * ended) before it was told gone; then its goodbye did not arrive, and the reason is wrong, not the
   * departure.
   */
  live: boolean
  /** The departed page's own meeting-joined before it (s from the start), to tell a joiner from a settled one. */
  departedJoinedAtS: number | null
}

export function explainFalseDepartures(
  t0: number,
  events: Record<string, LogEntry[]>,
  traces: Record<string, PageTrace>,
): FalseDeparture[] {
  const found: FalseDeparture[] = []
  for (const [observer, log] of Object.entries(events)) {
    const trace = traces[observer]!
    for (const left of log) {
      if (left.callback !== 'onParticipantLeft' || left.reason !== 'disconnected') continue
      const departed = left.participant?.name ?? '?'
      const sessions = Object.entries(trace.names)
        .filter(([, name]) => name === departed)
        .map(([session]) => session)
      // The departed session: the one of that name last heard before the departure.
      const heard = trace.received.filter((m) => sessions.includes(m.session) && m.at <= left.at)
      const last = heard.at(-1)
      const from = last?.at ?? left.at
      const theirs = traces[departed]
      const sent = (theirs?.sent ?? []).filter(
        (m) => m.session === last?.session && m.at > from && m.at <= left.at,
      )
      const arrived = sent.filter((m) =>
        trace.received.some((r) => r.session === m.session && r.seq === m.seq && r.at <= left.at),
      )
      const lateArrivals = sent
        .map((m) => trace.received.find((r) => r.session === m.session && r.seq === m.seq)?.at)
        .filter((at): at is number => at !== undefined && at > left.at)
      const next = trace.received.find((r) => r.session === last?.session && r.at > left.at)
      const back = log.find(
        (e) => e.at > left.at && e.callback === 'onParticipantJoined' && e.participant?.name === departed,
      )
      const joined = (events[departed] ?? [])
        .filter((e) => e.callback === 'onMeetingJoined' && e.at <= left.at)
        .at(-1)
      const over = (events[departed] ?? [])
        .filter((e) => e.callback === 'onMeetingLeft' && e.at <= left.at)
        .at(-1)
      found.push({
        observer,
        departed,
        atS: round1((left.at - t0) / 1000),
        silentMs: last ? left.at - last.at : null,
        sentInSilence: sent.length,
        arrivedInSilence: arrived.length,
        firstLateArrivalMs: lateArrivals.length > 0 ? Math.min(...lateArrivals) - left.at : null,
        nextHeardMs: next ? next.at - left.at : null,
        departedStalls: theirs ? stallsIn(theirs, from, left.at, t0) : [],
        observerStalls: stallsIn(trace, from, left.at, t0),
        backInMs: back ? back.at - left.at : null,
        live: over === undefined || (joined !== undefined && joined.at > over.at),
        departedJoinedAtS: joined ? round1((joined.at - t0) / 1000) : null,
      })
    }
  }
  return found.sort((a, b) => a.atS - b.atS)
}

const round1 = (x: number) => Math.round(x * 10) / 10

export function describe(d: FalseDeparture): string {
  return `${d.live ? '' : '(after it left) '}${d.observer} lost ${d.departed} at ${d.atS} s (${d.departed} joined at ${d.departedJoinedAtS ?? '?'} s): silent ${d.silentMs ?? '?'} ms; ${d.departed} sent ${d.sentInSilence} meanwhile, ${d.arrivedInSilence} arrived in time (first of the rest ${d.firstLateArrivalMs ?? 'never'} ms late; that session next heard after ${d.nextHeardMs ?? 'never'} ms); ${d.departed}'s stalls [${d.departedStalls.join(' ')}], ${d.observer}'s [${d.observerStalls.join(' ')}]; back in after ${d.backInMs ?? 'never'} ms`
}
