import { interval, type Subscription } from 'rxjs'

/**
 * A pair that is up but has heard nothing for this long, on any of its connections, while the
 * PeerServer still lists the peer, gets a fresh dial alongside (one per this long while it lasts).
 *
 * Why 4 s: core beats every second by default, each beat in 4 copies 250 ms apart on every
 * connection of the pair (`LinkSender`), so a live connection is heard at least every ~1.25 s unless
 * whole beats are lost. 4 s is 3 whole beats (12 copies) lost in a row, 5e-7 at 30% loss; and it is
 * above the silences a slow page makes by itself (a sender's main thread stalled up to 2.1 s in the
 * Chromium walk-through: about 3.1 s of silence). With a dial opening in 0.2-3.3 s there, the pair
 * carries data again 4-8 s into the silence, well inside core's allowance for a listed peer
 * (`connectedDepartureTimeoutMs`, 30 s): what it buys is the messages themselves (an End, a goodbye,
 * a camera turned off), which otherwise waited out the whole silence or were lost with it.
 *
 * Why a fresh dial: a connection can stop carrying anything while it stays open, seen with Chromium
 * tabs under load for 10-27 s (messages sent and none arriving), likely its SCTP association in
 * retransmission backoff (1, 2, 4, 8, 16 s): every channel of the association, the unordered beat
 * channel too, waits behind it. A new peer connection has its own association and timers. The silent
 * one is not closed here (it may recover): the pair's existing rules keep whichever carries data
 * (`stale` in linkPair.ts drops a connection silent while a sibling is heard).
 */
export const SILENT_MS = 4000
/**
 * An app with a longer heartbeat interval is silent longer between beats: the allowance is also this
 * many of the pair's usual gaps between messages (the median of the last `GAPS_KEPT`), whichever is
 * longer, so a pair that is merely quiet is not dialled again and again.
 */
const SILENT_GAPS = 4
const GAPS_KEPT = 8
/** How often the pairs are looked at; the silence must last this many looks too (see `tick`). */
const TICK_MS = 500

interface Watched {
  /** When anything last arrived on the pair (copies too). */
  heardAt: number
  /** Looks since then: a late look after this end was frozen counts once, however long the freeze. */
  quietTicks: number
  /** When the last message that was not a copy arrived, and the gaps before the last few such. */
  freshAt: number | undefined
  readonly gaps: number[]
  /** When this silence last got a fresh dial. */
  dialledAt: number | undefined
}

/**
 * Watches the pairs that are up for silence (`SILENT_MS`) and asks for a fresh dial of those the
 * PeerServer's latest presence list still names: not one it no longer lists (that session's socket
 * closed: gone, or its own signalling down, in which case it cannot be reached anyway), nor any while
 * this session has no list (no `@convene/server`, or its own signalling down). Stops as soon as the
 * pair is heard again; the pair going down is the `Redialler`'s matter.
 */
export class SilentPairs {
  private readonly pairs = new Map<string, Watched>()
  private listed: ReadonlySet<string> | null = null
  private ticker: Subscription | undefined

  constructor(
    /** Dials `remote` once more, alongside its connections (within the dialler's limits). */
    private readonly dialAfresh: (remote: string) => void,
  ) {}

  /** The pair came up: watched from now. */
  up(remote: string): void {
    this.pairs.set(remote, {
      heardAt: Date.now(),
      quietTicks: 0,
      freshAt: undefined,
      gaps: [],
      dialledAt: undefined,
    })
    this.ticker ??= interval(TICK_MS).subscribe(() => this.tick())
  }

  down(remote: string): void {
    this.pairs.delete(remote)
    if (this.pairs.size === 0) this.stop()
  }

  /** Something arrived from `remote`; `fresh` unless it was a copy of a message already delivered. */
  heard(remote: string, fresh: boolean): void {
    const watched = this.pairs.get(remote)
    if (!watched) return
    const now = Date.now()
    watched.heardAt = now
    watched.quietTicks = 0
    watched.dialledAt = undefined
    if (!fresh) return
    if (watched.freshAt !== undefined) {
      watched.gaps.push(now - watched.freshAt)
      if (watched.gaps.length > GAPS_KEPT) watched.gaps.shift()
    }
    watched.freshAt = now
  }

  /** The PeerServer's latest list of the other sessions connected to it; `null` when not known. */
  presence(peers: readonly string[] | null): void {
    this.listed = peers === null ? null : new Set(peers)
  }

  stop(): void {
    this.ticker?.unsubscribe()
    this.ticker = undefined
  }

  /**
   * Silence counts by the wall clock and in looks: after this end was frozen (its timers and the
   * arrivals queued meanwhile run in one burst), the first look may come before the backlog is read,
   * and must not take the freeze for the pair's silence.
   */
  private tick(): void {
    const now = Date.now()
    for (const [remote, watched] of this.pairs) {
      watched.quietTicks += 1
      const allowance = Math.max(SILENT_MS, SILENT_GAPS * median(watched.gaps))
      if (watched.quietTicks * TICK_MS < allowance || now - watched.heardAt < allowance) continue
      if (!this.listed?.has(remote)) continue
      if (watched.dialledAt !== undefined && now - watched.dialledAt < allowance) continue
      watched.dialledAt = now
      this.dialAfresh(remote)
    }
  }
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}
