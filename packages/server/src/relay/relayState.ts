import type { RelayPeer } from '@convene/core/wire'
import { PROOF_WINDOW_MS } from '@convene/core/wire'
import { createProofLedger } from '../proof/proofLedger.js'
import type { ClaimProof } from './verifyRelayHandshake.js'

/**
 * What every relay node must agree on: which sessions are in which meeting (the room directory) and
 * which proofs were already used. One node keeps it in memory; a cluster keeps it in Redis
 * (`createRedisRelayState`), so a session that fails over to another node is listed once, and a proof
 * spent on one node is refused on all.
 */
export interface RelayState {
  claim: ClaimProof
  /** Lists `peer` in its meeting, replacing an older socket of the same address. */
  add(meetingKey: string, peer: RelayPeer): Promise<void>
  /** Drops `peer` if it is still the listed socket of its address (a newer one stays). */
  remove(meetingKey: string, peer: RelayPeer): Promise<void>
  /** The sessions listed in a meeting, on any live node. */
  list(meetingKey: string): Promise<RelayPeer[]>
  close(): Promise<void>
}

export function createMemoryRelayState(): RelayState {
  const ledger = createProofLedger({ windowMs: PROOF_WINDOW_MS })
  /** Meeting key → address → socket id. */
  const rooms = new Map<string, Map<string, string>>()
  return {
    claim: async (key, ts) => ledger.claim(key, ts),
    async add(meetingKey, { address, sid }) {
      const room = rooms.get(meetingKey) ?? new Map<string, string>()
      rooms.set(meetingKey, room.set(address, sid))
    },
    async remove(meetingKey, { address, sid }) {
      const room = rooms.get(meetingKey)
      if (room?.get(address) !== sid) return
      room.delete(address)
      // Empty rooms are dropped so the directory does not grow with every meeting ever held.
      if (room.size === 0) rooms.delete(meetingKey)
    },
    async list(meetingKey) {
      return [...(rooms.get(meetingKey) ?? [])].map(([address, sid]) => ({ address, sid }))
    },
    async close() {},
  }
}
