export { createPeerJSTransport } from './createPeerJSTransport.js'
export type { MediaRequest, PeerJSTransportOptions, ReconnectPolicy } from './options.js'
export { defaultReconnectPolicy } from './options.js'
