export { createPeerJSTransport } from './createPeerJSTransport.js'
export type {
  IceServer,
  LocalMediaStream,
  MediaRequest,
  VideoRequest,
  PeerJSTransportOptions,
  ReconnectPolicy,
} from './options.js'
export { defaultReconnectPolicy } from './options.js'
