import type PeerModule from 'peerjs'

export type PeerClass = typeof PeerModule

let loading: Promise<PeerClass> | undefined

/**
 * PeerJS, loaded on first use rather than when this package is imported: PeerJS probes for WebRTC
 * once, as it loads, so in Node the globals `@convene/transport-peerjs/node` installs must be there
 * first, and ES modules evaluate every static import before the importer's own code.
 *
 * Its default export is the `Peer` class in bundlers, but Node's ESM loader hands over the whole
 * CommonJS `exports` object (`{ Peer, default, … }`) instead. Accept both.
 */
export function loadPeer(): Promise<PeerClass> {
  loading ??= import('peerjs').then((module) => {
    const loaded = module as unknown as { Peer?: PeerClass; default: PeerClass & { Peer?: PeerClass } }
    return loaded.Peer ?? loaded.default.Peer ?? loaded.default
  })
  return loading
}
