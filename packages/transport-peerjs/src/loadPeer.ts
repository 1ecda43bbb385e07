import PeerModule from 'peerjs'

/**
 * PeerJS's default export is the `Peer` class in bundlers, but Node's ESM loader hands over the whole
 * CommonJS `exports` object (`{ Peer, default, … }`) instead. Accept both.
 */
export const Peer: typeof PeerModule =
  (PeerModule as unknown as { Peer?: typeof PeerModule }).Peer ?? (PeerModule as typeof PeerModule)
