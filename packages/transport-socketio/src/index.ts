export { createSocketIOTransport } from './createSocketIOTransport.js'
export type { SocketIOTransportOptions } from './options.js'
