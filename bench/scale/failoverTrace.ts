/**
 * `BENCH_SCALE_TRACE=1`: where each of node A's participants spends its way back after the SIGKILL, in
 * phases timed in the process where each happened (the transport's events in the client processes, the
 * relay's logs of node B at `debug`): kill → the client's socket dropped (`disconnected`) → node B checked
 * its handshake (`relay.checked`: reconnection delay, connect, token and proof) → node B welcomed it
 * (`relay.joined`: listed, roster read, welcome sent) → the client handled the welcome (`reconnected`) →
 * its meeting `CONNECTED`. And what the herd cost every meeting: the `link-up` / `link-down` events the
 * transport told the meetings meanwhile (each is a statechart step).
 */
import { parsePeerId } from '@convene/core/wire'
import type { Distribution } from '../lib/stats.js'
import { distribution } from '../lib/stats.js'
import type { Recovery, TraceEntry } from './protocol.js'

export const tracing = process.env.BENCH_SCALE_TRACE === '1'

export interface FailoverTrace {
  /** Per phase, ms over the returners that reached it. */
  phases: Record<string, Distribution | { n: 0 }>
  /** Every meeting's link-ups and link-downs since the kill (returners and the others). */
  links: { up: number; down: number; upAtOthers: number; downAtOthers: number }
}

/** A node's log line, as far as the trace needs it: relay events by participant id, with their time. */
export function traceLine(line: string, into: Map<string, Record<string, number>>): void {
  if (!line.includes('"relay.')) return
  try {
    const { event, address, time } = JSON.parse(line) as { event?: string; address?: string; time?: number }
    const id = typeof address === 'string' ? parsePeerId(address)?.participantId : undefined
    if (!event || !id || typeof time !== 'number') return
    into.set(id, { ...into.get(id), [event]: time })
  } catch {}
}

export function failoverTrace(
  killedAt: number,
  back: readonly Recovery[],
  clients: readonly TraceEntry[],
  nodeB: ReadonlyMap<string, Record<string, number>>,
): FailoverTrace {
  const byId = new Map(clients.map((c) => [c.id, c]))
  const spans: Record<string, number[]> = {
    'kill → disconnected': [],
    'disconnected → checked (B)': [],
    'checked → welcomed (B)': [],
    'welcomed → reconnected': [],
    'reconnected → CONNECTED': [],
  }
  const span = (name: string, from: number | null | undefined, to: number | null | undefined) => {
    if (typeof from === 'number' && typeof to === 'number' && from >= killedAt) spans[name]!.push(to - from)
  }
  const movers = new Set(back.map((r) => r.id))
  for (const { id, back: connected } of back) {
    const client = byId.get(id)
    const node = nodeB.get(id) ?? {}
    const checked = node['relay.checked']
    const welcomed = node['relay.joined'] ?? node['relay.recovered']
    span('kill → disconnected', killedAt, client?.disconnected)
    span('disconnected → checked (B)', client?.disconnected, checked)
    span('checked → welcomed (B)', checked, welcomed)
    span('welcomed → reconnected', welcomed, client?.reconnected)
    span('reconnected → CONNECTED', client?.reconnected, connected)
  }
  const others = clients.filter((c) => !movers.has(c.id))
  const sum = (list: readonly TraceEntry[], f: (c: TraceEntry) => number) =>
    list.reduce((s, c) => s + f(c), 0)
  return {
    phases: Object.fromEntries(
      Object.entries(spans).map(([name, values]) => [name, values.length ? distribution(values) : { n: 0 }]),
    ),
    links: {
      up: sum(clients, (c) => c.linkUps),
      down: sum(clients, (c) => c.linkDowns),
      upAtOthers: sum(others, (c) => c.linkUps),
      downAtOthers: sum(others, (c) => c.linkDowns),
    },
  }
}
