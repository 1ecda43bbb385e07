export { createPeerJSTransport } from './createPeerJSTransport.js'
export type {
  IceServer,
  LocalMediaStream,
  MediaRequest,
  PeerJSTransportOptions,
  ReconnectPolicy,
  VideoRequest,
} from './options.js'
export { defaultReconnectPolicy } from './options.js'
