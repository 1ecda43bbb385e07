import type { VideoRequest } from '@convene/transport-peerjs'

/**
 * The camera the playground asks for: about the size its tiles show. In a mesh each tab encodes its
 * camera once per peer and decodes every other one, so with 4-5 tabs on one machine the browser's
 * default (640 × 480 at 30 fps) keeps every core busy: clicks, `track.stop()` and heartbeats then wait
 * for a turn on the CPU.
 */
export const PLAYGROUND_CAMERA: VideoRequest = { width: 320, height: 240, frameRate: 15 }
