import { createHash, randomUUID } from 'node:crypto'
import {
  isRelayEnded,
  isRelayGone,
  isRelayMember,
  PROOF_WINDOW_MS,
  type RelayGone,
  type RelayMember,
} from '@convene/core/wire'
import type { Redis } from 'ioredis'
import { ADD, CLAIM_DEAD_NODE, DUE, HOLD, REMOVE } from './redisPresenceScripts.js'
import { GONE_MEMORY_MS, type HeldDeparture, type RelayState } from './relayState.js'

/** A record as stored, checked again (whatever is in Redis is read as untrusted). */
function readRecord(value: string | null | undefined): RelayMember | null {
  if (!value) return null
  try {
    const parsed: unknown = JSON.parse(value)
    return isRelayMember(parsed) ? parsed : null
  } catch {
    return null
  }
}

/** How often a node says it is alive, and how long that lasts: a killed node is found dead within `NODE_TTL_MS`. */
const NODE_BEAT_MS = 1_000
const NODE_TTL_MS = 3_000
/** Held departures announced per sweep, at most (the next sweep takes the rest). */
const DUE_BATCH = 1_000

/**
 * The relay's shared state in Redis, under `prefix`:
 * - `<prefix>room:<meetingKey>`: a hash, address → `<nodeId> <sid>`; `<prefix>who:<meetingKey>`: the
 *   same sessions' records (JSON), what the relay vouches for about each;
 * - `<prefix>nodes`: the ids of nodes not yet found dead; `<prefix>node:<nodeId>`: present while that
 *   node is alive (renewed every second, expires after 3); `<prefix>sessions:<nodeId>`: its sessions;
 * - `<prefix>held`: a sorted set of dropped sessions by the time their grace period ends, and
 *   `<prefix>held-of`: address → its entry there, so a session that comes back cancels it;
 * - `<prefix>gone:<meetingKey>`: a hash of the last minute's departures, address → JSON;
 * - `<prefix>ended:<meetingKey>`: the meeting's END (JSON), if a host ended it in the last minute;
 * - `<prefix>proof:<sha256>`: a used proof, kept while it could still be fresh.
 * A node that died (SIGKILL) is claimed by the first live node that sweeps after its key expired: its
 * sessions are held for the grace period like any dropped connection, and announced once.
 */
export function createRedisRelayState(redis: Redis, prefix = 'convene:'): RelayState {
  const nodeId = randomUUID()
  const nodeKey = (id: string) => `${prefix}node:${id}`
  const sessionsKey = (id: string) => `${prefix}sessions:${id}`
  const roomPrefix = `${prefix}room:`
  const roomKey = (meetingKey: string) => `${roomPrefix}${meetingKey}`
  const goneKey = (meetingKey: string) => `${prefix}gone:${meetingKey}`
  const endedKey = (meetingKey: string) => `${prefix}ended:${meetingKey}`
  const whoPrefix = `${prefix}who:`
  const whoKey = (meetingKey: string) => `${whoPrefix}${meetingKey}`
  const nodesKey = `${prefix}nodes`
  const heldKey = `${prefix}held`
  const heldOfKey = `${prefix}held-of`
  const member = (meetingKey: string, address: string, sid: string) => `${meetingKey} ${address} ${sid}`
  const beat = () => redis.set(nodeKey(nodeId), '1', 'PX', NODE_TTL_MS).catch(() => undefined)
  const registered = Promise.all([beat(), redis.sadd(nodesKey, nodeId)])
  const timer = setInterval(beat, NODE_BEAT_MS)
  timer.unref()

  /** Nodes in the node set whose liveness key expired. */
  async function deadNodes(): Promise<string[]> {
    const nodes = await redis.smembers(nodesKey)
    if (nodes.length === 0) return []
    const alive = await redis.mget(nodes.map(nodeKey))
    return nodes.filter((_, i) => alive[i] === null)
  }

  return {
    async claim(key, ts) {
      const digest = createHash('sha256').update(key).digest('base64url')
      const ttl = Math.max(1, ts + PROOF_WINDOW_MS - Date.now() + 1_000)
      const set = await redis.set(`${prefix}proof:${digest}`, '1', 'PX', ttl, 'NX')
      return set === 'OK' ? 'ok' : 'used'
    },
    async add(meetingKey, record) {
      await registered
      const { address, sid } = record
      const keys = [roomKey(meetingKey), heldKey, heldOfKey, sessionsKey(nodeId), whoKey(meetingKey)]
      const back = await redis.eval(
        ADD,
        keys.length,
        ...keys,
        address,
        `${nodeId} ${sid}`,
        member(meetingKey, address, sid),
        JSON.stringify(record),
      )
      return back === 1
    },
    async setMedia(meetingKey, { address, sid }, media) {
      const listed = readRecord(await redis.hget(whoKey(meetingKey), address))
      if (listed?.sid !== sid) return
      await redis.hset(whoKey(meetingKey), address, JSON.stringify({ ...listed, media }))
    },
    async remove(meetingKey, { address, sid }) {
      const keys = [roomKey(meetingKey), sessionsKey(nodeId), whoKey(meetingKey)]
      await redis.eval(
        REMOVE,
        keys.length,
        ...keys,
        address,
        `${nodeId} ${sid}`,
        member(meetingKey, address, sid),
      )
    },
    async roster(meetingKey) {
      const [room, who, heldOf] = await Promise.all([
        redis.hgetall(roomKey(meetingKey)),
        redis.hgetall(whoKey(meetingKey)),
        redis.hgetall(heldOfKey),
      ])
      const entries = Object.entries(room)
      const parsed = entries.map(([address, value]) => {
        const [node = '', sid = ''] = value.split(' ')
        return { address, node, sid }
      })
      const nodes = [...new Set(parsed.map((entry) => entry.node))]
      const alive = nodes.length === 0 ? [] : await redis.mget(nodes.map(nodeKey))
      const dead = new Set(nodes.filter((_, i) => alive[i] === null))
      // A dead node's sessions are not listed but away: the sweep that claims the node holds them, and
      // announces those that do not come back.
      const listed = parsed.flatMap(({ address, node, sid }): RelayMember[] => {
        const record = readRecord(who[address])
        return !dead.has(node) && record?.sid === sid ? [record] : []
      })
      const away = parsed.filter(({ node }) => dead.has(node)).map(({ address, sid }) => ({ address, sid }))
      for (const entry of Object.values(heldOf)) {
        const [meeting, address, sid] = entry.split(' ')
        if (meeting === meetingKey && address && sid && room[address] === undefined)
          away.push({ address, sid })
      }
      return { listed, away }
    },
    async hold({ meetingKey, address, sid }, dueAt) {
      await redis.eval(HOLD, 2, heldKey, heldOfKey, member(meetingKey, address, sid), address, dueAt)
    },
    async due(now, graceMs) {
      for (const dead of await deadNodes()) {
        const keys = [nodesKey, sessionsKey(dead), heldKey, heldOfKey]
        await redis.eval(CLAIM_DEAD_NODE, keys.length, ...keys, dead, now + graceMs, roomPrefix, whoPrefix)
      }
      const due = (await redis.eval(DUE, 2, heldKey, heldOfKey, now, DUE_BATCH, roomPrefix)) as string[]
      return due.flatMap((entry): HeldDeparture[] => {
        const [meetingKey, address, sid] = entry.split(' ')
        return meetingKey && address && sid ? [{ meetingKey, address, sid }] : []
      })
    },
    async gone(meetingKey, departure) {
      await redis
        .multi()
        .hset(goneKey(meetingKey), departure.address, JSON.stringify({ ...departure, at: Date.now() }))
        .pexpire(goneKey(meetingKey), GONE_MEMORY_MS)
        .exec()
    },
    async recentlyGone(meetingKey) {
      const now = Date.now()
      const values = Object.values(await redis.hgetall(goneKey(meetingKey)))
      return values.flatMap((value): RelayGone[] => {
        try {
          const parsed = JSON.parse(value) as RelayGone & { at: number }
          if (!isRelayGone(parsed) || now - parsed.at > GONE_MEMORY_MS) return []
          return [{ address: parsed.address, sid: parsed.sid, reason: parsed.reason }]
        } catch {
          return []
        }
      })
    },
    async ended(meetingKey, end) {
      const { address, sid, data } = end
      await redis.set(endedKey(meetingKey), JSON.stringify({ address, sid, data }), 'PX', GONE_MEMORY_MS)
    },
    async recentlyEnded(meetingKey) {
      const value = await redis.get(endedKey(meetingKey))
      if (!value) return null
      try {
        const parsed: unknown = JSON.parse(value)
        return isRelayEnded(parsed) ? { address: parsed.address, sid: parsed.sid, data: parsed.data } : null
      } catch {
        return null
      }
    },
    async close() {
      clearInterval(timer)
      // Found dead at the next sweep of a live node, which holds and announces its sessions.
      await redis.del(nodeKey(nodeId)).catch(() => undefined)
    },
  }
}
