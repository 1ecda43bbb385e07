import type { LinkId, TransportEvent } from '@convene/core'
import { isRelayPeer, type RelayPeer } from '@convene/core/wire'

const up = (linkId: LinkId): TransportEvent => ({ type: 'link-up', linkId })
const down = (linkId: LinkId): TransportEvent => ({ type: 'link-down', linkId })

/**
 * Turns what the relay says into the transport contract's events. Over the relay a "link" to a session
 * is up while the server lists it in the meeting under its current socket id (`sid`); a new `sid` for
 * the same address is a new channel (a `link-down` then a `link-up`, so core says hello again), and a
 * `peer-left` for an older socket than the listed one is stale and ignored. Pure bookkeeping: no I/O.
 */
export class LinkBook {
  private readonly links = new Map<LinkId, string>()
  private ready = false
  private offline = false
  /** Messages that came before `welcome`: core hears `ready` first. */
  private readonly early: TransportEvent[] = []

  constructor(private readonly self: string) {}

  /** A socket connected. Recovered: same links, the missed packets follow; otherwise a `welcome` will. */
  connected(recovered: boolean): TransportEvent[] {
    if (!recovered || !this.offline) return []
    this.offline = false
    return [{ type: 'reconnected' }]
  }

  /** After a fresh connect: everyone in the meeting now. */
  welcome(value: unknown): TransportEvent[] {
    const listed = Array.isArray((value as { peers?: unknown })?.peers)
      ? ((value as { peers: unknown[] }).peers.filter(isRelayPeer) as RelayPeer[])
      : []
    const peers = listed.filter((peer) => peer.address !== this.self)
    if (!this.ready) {
      // Sessions that joined between our connect and this welcome are in `links` already.
      for (const { address, sid } of peers) this.links.set(address, sid)
      this.ready = true
      const all = [...this.links.keys()]
      return [{ type: 'ready', peers: all }, ...all.map(up), ...this.early.splice(0)]
    }
    // A fresh session after a drop the server could not recover: every link is a new channel.
    const events: TransportEvent[] = []
    if (this.offline) {
      this.offline = false
      events.push({ type: 'reconnected' })
    }
    const now = new Map(peers.map(({ address, sid }) => [address, sid]))
    for (const address of this.links.keys()) {
      if (!now.has(address)) {
        this.links.delete(address)
        events.push(down(address))
      }
    }
    for (const [address, sid] of now) {
      if (this.links.has(address)) events.push(down(address))
      this.links.set(address, sid)
      events.push(up(address))
    }
    return events
  }

  joined(peer: unknown): TransportEvent[] {
    if (!isRelayPeer(peer) || peer.address === this.self) return []
    const known = this.links.get(peer.address)
    if (known === peer.sid) return []
    this.links.set(peer.address, peer.sid)
    if (!this.ready) return []
    return known === undefined ? [up(peer.address)] : [down(peer.address), up(peer.address)]
  }

  left(peer: unknown): TransportEvent[] {
    if (!isRelayPeer(peer) || this.links.get(peer.address) !== peer.sid) return []
    this.links.delete(peer.address)
    return this.ready ? [down(peer.address)] : []
  }

  message(value: unknown): TransportEvent[] {
    const { from, data } = (typeof value === 'object' && value !== null ? value : {}) as Record<
      string,
      unknown
    >
    if (typeof from !== 'string' || typeof data !== 'string' || !this.links.has(from)) return []
    const event: TransportEvent = { type: 'message', linkId: from, data: decode(data) }
    if (this.ready) return [event]
    this.early.push(event)
    return []
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

/** Messages travel as JSON text; anything else is handed to core as is, for its validation to reject. */
function decode(data: string): unknown {
  try {
    return JSON.parse(data) as unknown
  } catch {
    return data
  }
}
