import type { LinkId, TransportEvent } from '@convene/core'
import {
  isRelayEnded,
  isRelayGone,
  isRelayMember,
  isRelayPeer,
  isRelayRef,
  RELAY_PROTOCOL_VERSION,
  type RelayGone,
  type RelayMember,
  type RelayPeer,
} from '@convene/core/wire'
import { decode, down, gone, heldRecord, isOwnLeave, protocolMismatch, sameRecord, up } from './linkEvents.js'

/**
 * Turns what the relay says into the transport contract's events. Over the relay a "link" to a session
 * is up while the server lists it in the meeting under its current socket id (`sid`), and its
 * `link-up` carries the record the relay vouches for (who it is; core sends no hello). A new `sid` for
 * the same address is the same session on a new socket: with the same record it is nothing for core
 * (only the socket to expect its departure from changed), with another a `link-up` again; a departure
 * of an older socket than the listed one is stale and ignored. Pure bookkeeping: no I/O.
 *
 * Presence is the server's: a `peers-left` entry with `left` or `lost` is a departure (`presence-gone`), sent
 * once for the cluster; `replaced` is the same session on a newer socket (nothing for core: the newer
 * one's arrival follows). After a fresh connect, a linked session the welcome lists as before, or as
 * `away` under the socket we know (held for its grace period), is unchanged; one it does not list at
 * all is down, not gone: its departure may be on its way, or in the welcome's `gone` (announced while
 * we were away). A welcome that names a host's END (`ended`, a meeting closed while we were away) from
 * a session we are linked to hands core that END first, as if it had arrived then: core obeys it if
 * that session is a host, and ends with `ended` rather than hearing everyone go.
 */
export class LinkBook {
  /** Linked sessions by address, with the relay's record (and so their current socket id). */
  private readonly links = new Map<LinkId, RelayMember>()
  /** Sessions whose link went down at a fresh connect, unlisted but not known gone: address → sid. */
  private readonly unlisted = new Map<LinkId, string>()
  private ready = false
  private offline = false
  /** A fresh connect's welcome has not come yet (a drop the relay then recovers loses it: ask again). */
  private awaiting = false
  /** A welcome or return named a record by reference that this book does not hold: ask for one with records. */
  private lacking = false
  /** Messages that came before `welcome`: core hears `ready` first. */
  private readonly early: TransportEvent[] = []

  constructor(private readonly self: string) {}

  /**
   * A socket connected. Recovered: same links, the missed packets follow, but not a welcome still
   * awaited (the caller asks for it again, and the session is back only once it arrives); otherwise a
   * `welcome` will come.
   */
  connected(recovered: boolean): TransportEvent[] {
    if (!recovered) this.awaiting = true
    if (!recovered || !this.offline || this.awaiting) return []
    this.offline = false
    return [{ type: 'reconnected' }]
  }

  /** Whether the last fresh connect's welcome is still to come. */
  get awaitingWelcome(): boolean {
    return this.awaiting
  }

  /**
   * Whether this book needs a welcome with every record: the last welcome named one it does not hold
   * (`welcome.refs`; it changed nothing), or a return did (`peers-joined` `refs`; the others in it
   * were taken). The caller asks for the welcome again (`resend-welcome`), which carries the records.
   */
  get lackingRecords(): boolean {
    return this.lacking
  }

  /** Whether this book holds the meeting's records from an earlier welcome (a returner: `auth.returning`). */
  get holdsRecords(): boolean {
    return this.ready
  }

  /**
   * After a fresh connect: everyone in the meeting now, and who left it lately. Its sessions come as
   * records (`peers`) or, to a returner, as references to records held (`refs`); a reference to one
   * not held leaves everything as it was (`lackingRecords`).
   */
  welcome(value: unknown): TransportEvent[] {
    const fields = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>
    if (fields.protocol !== RELAY_PROTOCOL_VERSION) return [protocolMismatch(fields.protocol)]
    const list = (field: 'peers' | 'gone' | 'away' | 'refs'): unknown[] => {
      const raw = fields[field]
      return Array.isArray(raw) ? raw : []
    }
    const listed = this.resolve(list('peers').filter(isRelayMember) as RelayMember[], list('refs'))
    this.lacking = listed === null
    if (listed === null) return []
    this.awaiting = false
    const departed = list('gone').filter(isRelayGone) as RelayGone[]
    const away = new Map((list('away').filter(isRelayPeer) as RelayPeer[]).map((p) => [p.address, p.sid]))
    const peers = listed.filter((peer) => peer.address !== this.self)
    if (!this.ready) {
      // Sessions that joined between our connect and this welcome are in `links` already.
      for (const peer of peers) if (!this.links.has(peer.address)) this.links.set(peer.address, peer)
      this.ready = true
      const all = [...this.links.values()]
      return [{ type: 'ready', peers: [...this.links.keys()] }, ...all.map(up), ...this.early.splice(0)]
    }
    // A fresh session after a drop the server could not recover: every link is a new channel.
    const events: TransportEvent[] = this.missedEnd(fields.ended)
    if (this.offline) {
      this.offline = false
      events.push({ type: 'reconnected' })
    }
    const now = new Map(peers.map((peer) => [peer.address, peer]))
    for (const [address, { sid }] of this.links) {
      // Away under the socket we know, held for its grace period: still linked until it comes back
      // (a `peers-joined`) or its departure is told (a `peers-left`), so core hears of it only then.
      if (!now.has(address) && away.get(address) !== sid) {
        this.links.delete(address)
        this.unlisted.set(address, sid)
        events.push(down(address))
      }
    }
    for (const [address, peer] of now) {
      this.unlisted.delete(address)
      // Listed as before, or moved to another socket with the same record: nothing changed for core
      // (a herd coming back after a node died must not cost every client an up for each of a thousand peers).
      const known = this.links.get(address)
      this.links.set(address, peer)
      if (known && (known.sid === peer.sid || sameRecord(known, peer))) continue
      events.push(up(peer))
    }
    for (const departure of departed) events.push(...this.departed(departure))
    return events
  }

  /**
   * The welcome's sessions as records: `peers` as they are, and each reference (`refs`) as the record
   * held under its address with the socket and media it names; `null` if one names a record not held.
   */
  private resolve(peers: RelayMember[], refs: unknown[]): RelayMember[] | null {
    for (const ref of refs) {
      if (!isRelayRef(ref) || ref[0] === this.self) continue
      const member = heldRecord(this.links, ref)
      if (member === null) return null
      peers.push(member)
    }
    return peers
  }

  /** A host's END that went out while we were away, from a session we knew: core hears it first. */
  private missedEnd(ended: unknown): TransportEvent[] {
    if (!isRelayEnded(ended) || !this.links.has(ended.address)) return []
    return [{ type: 'message', linkId: ended.address, data: decode(ended.data) }]
  }

  /**
   * The relay's `peers-joined`: arrivals gathered over a few milliseconds, in order, with their records
   * (`joined`), and returns (the same sessions on new sockets) by reference to the records held
   * (`refs`); a return whose record this book does not hold waits for the welcome it then asks for.
   */
  joined(value: unknown): TransportEvent[] {
    const { joined, refs } = (typeof value === 'object' && value !== null ? value : {}) as Record<
      string,
      unknown
    >
    const events = Array.isArray(joined) ? joined.flatMap((peer) => this.arrived(peer)) : []
    if (!Array.isArray(refs)) return events
    for (const ref of refs) {
      if (!isRelayRef(ref) || ref[0] === this.self) continue
      const member = heldRecord(this.links, ref)
      if (member === null) this.lacking = true
      else events.push(...this.arrived(member))
    }
    return events
  }

  private arrived(peer: unknown): TransportEvent[] {
    if (!isRelayMember(peer) || peer.address === this.self) return []
    this.unlisted.delete(peer.address)
    const known = this.links.get(peer.address)
    if (known?.sid === peer.sid) return []
    this.links.set(peer.address, peer)
    // Linked already, now on a newer socket with the same record: only the socket to expect its departure from changed.
    if (known && sameRecord(known, peer)) return []
    return this.ready ? [up(peer)] : []
  }

  /** The relay's `peers-left`: departures gathered over a few milliseconds, in order. */
  left(value: unknown): TransportEvent[] {
    const gone = (value as { gone?: unknown } | null)?.gone
    if (!Array.isArray(gone)) return []
    return gone.flatMap((peer) => (isRelayGone(peer) ? this.departed(peer) : []))
  }

  private departed({ address, sid, reason }: RelayGone): TransportEvent[] {
    if (this.unlisted.get(address) === sid && reason !== 'replaced') {
      this.unlisted.delete(address)
      return [gone(address, reason)]
    }
    if (this.links.get(address)?.sid !== sid) return []
    // The same session on a newer socket, whose arrival follows (or came first): not core's business.
    if (reason === 'replaced') return []
    this.links.delete(address)
    if (!this.ready) return []
    // The departure first, while core still maps the link to its session (a lookup, not a scan).
    return [gone(address, reason), down(address)]
  }

  message(value: unknown): TransportEvent[] {
    const { from, data } = (typeof value === 'object' && value !== null ? value : {}) as Record<
      string,
      unknown
    >
    if (typeof from !== 'string' || typeof data !== 'string' || !this.links.has(from)) return []
    const decoded = decode(data)
    const event: TransportEvent = { type: 'message', linkId: from, data: decoded }
    if (!this.ready) {
      this.early.push(event)
      return []
    }
    // Its own LEAVE, as core reads it: core tells its departure now, for good. Its link closes here
    // with it, and core is told nothing more: the relay's `peers-left` that follows finds it unlinked.
    // Told too, its presence-gone and link-down were two more statechart steps at every receiver, each
    // costlier than the LEAVE at 1,000 (they look the link up among all sessions), and landing among
    // the LEAVE's own fan-out in a process hosting hundreds of receivers.
    if (isOwnLeave(from, decoded)) this.links.delete(from)
    return [event]
  }

  /** The socket dropped (not by us): off the network until it connects again. */
  disconnected(): TransportEvent[] {
    if (!this.ready || this.offline) return []
    this.offline = true
    return [{ type: 'disconnected' }]
  }

  get isReady(): boolean {
    return this.ready
  }
}
