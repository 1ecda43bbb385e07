/**
 * Data connections between sessions of this process, as PeerJS makes them, and a way to make some
 * carry nothing while they stay open: what a Chromium tab under load showed (10-27 s in which
 * nothing sent on a connection arrived, both ends still calling it open). Muted, a connection's
 * channels (PeerJS's and the beat channel) drop what is sent on them and what arrives, at both ends
 * when both are here; its peer connection, ICE and SCTP run on untouched, so it stays `open` and its
 * close still gets through.
 */
import type { DataConnection, Peer } from 'peerjs'
import { loadPeer } from '../../src/loadPeer.js'

/** One end of a data connection: the session `local` holds it, to `remote`. */
export interface ConnectionEnd {
  readonly local: string
  readonly remote: string
  readonly conn: DataConnection
  /** Messages that arrived on it, on any of its channels (none while muted). */
  arrived: number
}

const ends: ConnectionEnd[] = []
/** Each session's PeerJS peer, by its id, once it added a data connection. */
const peers = new Map<string, Peer>()
const channelsOf = new WeakMap<object, Set<RTCDataChannel>>()
const endOf = new WeakMap<object, ConnectionEnd>()
let installed = false

/** Starts recording every data connection PeerJS adds, and the channels of their peer connections. */
export async function recordConnections(): Promise<void> {
  if (installed) return
  installed = true
  const Peer = await loadPeer()
  const peerProto = Peer.prototype as unknown as {
    _addConnection(this: Peer, peerId: string, conn: DataConnection): void
  }
  const add = peerProto._addConnection
  peerProto._addConnection = function (peerId, conn) {
    if (conn.type === 'data' && this.id) {
      peers.set(this.id, this)
      const end: ConnectionEnd = { local: this.id, remote: peerId, conn, arrived: 0 }
      ends.push(end)
      if (conn.peerConnection) endOf.set(conn.peerConnection, end)
      conn.on('data', () => {
        end.arrived += 1
      })
    }
    add.call(this, peerId, conn)
  }
  const pcProto = (globalThis as unknown as { RTCPeerConnection: typeof RTCPeerConnection }).RTCPeerConnection
    .prototype
  const create = pcProto.createDataChannel
  // The beat channel is negotiated: both ends create it (PeerJS's own channel only the dialling end).
  pcProto.createDataChannel = function (this: RTCPeerConnection, label, init) {
    const channel = create.call(this, label, init)
    const set = channelsOf.get(this) ?? new Set()
    channelsOf.set(this, set.add(channel))
    if (init?.negotiated) {
      channel.addEventListener('message', () => {
        const end = endOf.get(this)
        if (end) end.arrived += 1
      })
    }
    return channel
  }
}

/** The ends of every connection between `a` and `b` recorded so far, at either end. */
export function connectionsBetween(a: string, b: string): ConnectionEnd[] {
  return ends.filter((e) => (e.local === a && e.remote === b) || (e.local === b && e.remote === a))
}

/** The PeerJS peer of session `local` (known once it added a data connection). */
export function peerOf(local: string): Peer {
  const peer = peers.get(local)
  if (!peer) throw new Error(`no data connection of ${local} recorded`)
  return peer
}

/** Mutes these ends' channels: nothing sent on them leaves, nothing arriving is delivered. */
export function mute(muted: readonly ConnectionEnd[]): void {
  for (const channel of channels(muted)) {
    const dispatch = channel.dispatchEvent.bind(channel)
    Object.assign(channel, {
      send: () => {},
      dispatchEvent: (event: Event) => event.type === 'message' || dispatch(event),
    })
  }
}

/** Lets these ends' channels carry data again. */
export function unmute(muted: readonly ConnectionEnd[]): void {
  for (const channel of channels(muted)) {
    const own = channel as unknown as Record<string, unknown>
    delete own.send
    delete own.dispatchEvent
  }
}

function channels(muted: readonly ConnectionEnd[]): Set<RTCDataChannel> {
  const all = new Set<RTCDataChannel>()
  for (const { conn } of muted) {
    if (conn.dataChannel) all.add(conn.dataChannel)
    for (const channel of channelsOf.get(conn.peerConnection) ?? []) all.add(channel)
  }
  return all
}
