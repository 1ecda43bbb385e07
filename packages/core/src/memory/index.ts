export { createMemoryNetwork, INJECTED_LINK_ID } from './createMemoryNetwork.js'
export type { MemoryMediaStream, MemoryMediaTrack } from './standInMedia.js'
export type {
  MemoryFaults,
  MemoryNetwork,
  MemoryNetworkOptions,
  MemoryNetworkStats,
  MemoryObserverErrorInfo,
  MemorySessionInfo,
  MemorySessionState,
} from './types.js'
