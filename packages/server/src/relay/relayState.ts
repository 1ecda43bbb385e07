import type { RelayEnded, RelayGone, RelayMember, RelayPeer } from '@convene/core/wire'
import { PROOF_WINDOW_MS } from '@convene/core/wire'
import { createProofLedger } from '../proof/proofLedger.js'
import type { ClaimProof } from './verifyRelayHandshake.js'

/** A session whose connection dropped, held for the grace period before it is announced as lost. */
export interface HeldDeparture extends RelayPeer {
  meetingKey: string
}

/** A meeting as a session that connects afresh is told it: see {@link RelayState.roster}. */
export interface Roster {
  listed: RelayMember[]
  away: RelayPeer[]
}

/** How long a meeting's departures are remembered, for sessions that come back fresh and missed them. */
export const GONE_MEMORY_MS = 60_000

/**
 * What every relay node must agree on: which sessions are in which meeting (the room directory), which
 * dropped sessions are held for their grace period, who left lately, and which proofs were already
 * used. One node keeps it in memory; a cluster keeps it in Redis (`createRedisRelayState`), so a session
 * that fails over to another node is listed once, a held departure is announced by exactly one node
 * (whichever sweeps first, even if the node that held it died), and a proof spent on one node is
 * refused on all.
 */
export interface RelayState {
  claim: ClaimProof
  /**
   * Lists `member` in its meeting (with the record the relay vouches for), replacing an older socket of
   * the same address; cancels a held departure of that address. Resolves `true` when the address was
   * listed or held already: the same session back on a new socket, not an arrival.
   */
  add(meetingKey: string, member: RelayMember): Promise<boolean>
  /** A listed session's microphone and camera changed: its record says so from now on. */
  setMedia(meetingKey: string, peer: RelayPeer, media: RelayMember['media']): Promise<void>
  /** Drops `peer` if it is still the listed socket of its address (a newer one stays). */
  remove(meetingKey: string, peer: RelayPeer): Promise<void>
  /**
   * The sessions listed in a meeting, on any live node, with their records (`listed`), and those away
   * but not gone (`away`): held for their grace period, or on a node found dead and not claimed yet.
   */
  roster(meetingKey: string): Promise<Roster>
  /** Holds a dropped session's departure until `dueAt` (ms since the epoch), unless its address registers again. */
  hold(departure: HeldDeparture, dueAt: number): Promise<void>
  /**
   * The held departures due by `now` whose address did not register again, each returned to exactly
   * one caller in the whole cluster: the one that announces it. Also holds (from now, for `graceMs`)
   * the sessions of nodes found dead, listed nowhere else.
   */
  due(now: number, graceMs: number): Promise<HeldDeparture[]>
  /** Remembers a departure as it is announced, for `GONE_MEMORY_MS`. */
  gone(meetingKey: string, departure: RelayGone): Promise<void>
  /** A meeting's departures of the last `GONE_MEMORY_MS`, for a session that was away when they were announced. */
  recentlyGone(meetingKey: string): Promise<RelayGone[]>
  /** Remembers a host's END of the meeting for `GONE_MEMORY_MS` (the latest one, if there were several). */
  ended(meetingKey: string, end: RelayEnded): Promise<void>
  /** The meeting's END of the last `GONE_MEMORY_MS`, for a session that was away when it went out. */
  recentlyEnded(meetingKey: string): Promise<RelayEnded | null>
  close(): Promise<void>
}

export function createMemoryRelayState(): RelayState {
  const ledger = createProofLedger({ windowMs: PROOF_WINDOW_MS })
  /** Meeting key → address → its record (with its current socket id). */
  const rooms = new Map<string, Map<string, RelayMember>>()
  /** Address → held departure and when it is due. */
  const held = new Map<string, { departure: HeldDeparture; dueAt: number }>()
  /** Meeting key → address → the latest departure and when it was announced. */
  const goneByMeeting = new Map<string, Map<string, { departure: RelayGone; at: number }>>()
  /** Meeting key → its latest END and when it went out. */
  const endedByMeeting = new Map<string, { end: RelayEnded; at: number }>()
  const forgetGone = (now: number) => {
    for (const [meetingKey, { at }] of endedByMeeting) {
      if (now - at > GONE_MEMORY_MS) endedByMeeting.delete(meetingKey)
    }
    for (const [meetingKey, gone] of goneByMeeting) {
      for (const [address, entry] of gone) if (now - entry.at > GONE_MEMORY_MS) gone.delete(address)
      if (gone.size === 0) goneByMeeting.delete(meetingKey)
    }
  }
  return {
    claim: async (key, ts) => ledger.claim(key, ts),
    async add(meetingKey, member) {
      const room = rooms.get(meetingKey) ?? new Map<string, RelayMember>()
      const back = room.has(member.address) || held.has(member.address)
      rooms.set(meetingKey, room.set(member.address, { ...member }))
      held.delete(member.address)
      return back
    },
    async setMedia(meetingKey, { address, sid }, media) {
      const member = rooms.get(meetingKey)?.get(address)
      if (member?.sid === sid) member.media = { ...media }
    },
    async remove(meetingKey, { address, sid }) {
      const room = rooms.get(meetingKey)
      if (room?.get(address)?.sid !== sid) return
      room.delete(address)
      // Empty rooms are dropped so the directory does not grow with every meeting ever held.
      if (room.size === 0) rooms.delete(meetingKey)
    },
    async roster(meetingKey) {
      const room = rooms.get(meetingKey)
      const listed = [...(room?.values() ?? [])].map((member) => ({ ...member }))
      const away = [...held.values()].flatMap(({ departure: { meetingKey: key, address, sid } }) =>
        key === meetingKey && !room?.has(address) ? [{ address, sid }] : [],
      )
      return { listed, away }
    },
    async hold(departure, dueAt) {
      held.set(departure.address, { departure, dueAt })
    },
    async due(now) {
      const out: HeldDeparture[] = []
      for (const [address, { departure, dueAt }] of held) {
        if (dueAt > now) continue
        held.delete(address)
        if (!rooms.get(departure.meetingKey)?.has(address)) out.push(departure)
      }
      forgetGone(now)
      return out
    },
    async gone(meetingKey, departure) {
      const gone = goneByMeeting.get(meetingKey) ?? new Map()
      goneByMeeting.set(meetingKey, gone.set(departure.address, { departure, at: Date.now() }))
    },
    async recentlyGone(meetingKey) {
      return [...(goneByMeeting.get(meetingKey)?.values() ?? [])].map((entry) => entry.departure)
    },
    async ended(meetingKey, end) {
      endedByMeeting.set(meetingKey, { end: { ...end }, at: Date.now() })
    },
    async recentlyEnded(meetingKey) {
      const entry = endedByMeeting.get(meetingKey)
      return entry && Date.now() - entry.at <= GONE_MEMORY_MS ? { ...entry.end } : null
    },
    async close() {},
  }
}
