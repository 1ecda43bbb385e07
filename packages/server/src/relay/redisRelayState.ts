import { createHash, randomUUID } from 'node:crypto'
import { PROOF_WINDOW_MS } from '@convene/core/wire'
import type { Redis } from 'ioredis'
import type { RelayState } from './relayState.js'

/** How often a node says it is alive, and how long that lasts: a killed node's sessions drop out of listings within `NODE_TTL_MS`. */
const NODE_BEAT_MS = 1_000
const NODE_TTL_MS = 3_000

// Deletes the field only if it still names this socket: the old socket of a session that failed over
// must not unlist the new one.
const REMOVE_IF_CURRENT = `if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end return 0`

/**
 * The relay's shared state in Redis, under `prefix`:
 * - `<prefix>room:<meetingKey>`: a hash, address → `<nodeId> <sid>`;
 * - `<prefix>node:<nodeId>`: present while that node is alive (renewed every second, expires after 3);
 * - `<prefix>proof:<sha256>`: a used proof, kept while it could still be fresh.
 * Entries of a node that died without cleaning up (SIGKILL) are skipped, and deleted, once its key expires.
 */
export function createRedisRelayState(redis: Redis, prefix = 'convene:'): RelayState {
  const nodeId = randomUUID()
  const nodeKey = (id: string) => `${prefix}node:${id}`
  const roomKey = (meetingKey: string) => `${prefix}room:${meetingKey}`
  const beat = () => redis.set(nodeKey(nodeId), '1', 'PX', NODE_TTL_MS).catch(() => undefined)
  void beat()
  const timer = setInterval(beat, NODE_BEAT_MS)
  timer.unref()
  return {
    async claim(key, ts) {
      const digest = createHash('sha256').update(key).digest('base64url')
      const ttl = Math.max(1, ts + PROOF_WINDOW_MS - Date.now() + 1_000)
      const set = await redis.set(`${prefix}proof:${digest}`, '1', 'PX', ttl, 'NX')
      return set === 'OK' ? 'ok' : 'used'
    },
    async add(meetingKey, { address, sid }) {
      await redis.hset(roomKey(meetingKey), address, `${nodeId} ${sid}`)
    },
    async remove(meetingKey, { address, sid }) {
      await redis.eval(REMOVE_IF_CURRENT, 1, roomKey(meetingKey), address, `${nodeId} ${sid}`)
    },
    async list(meetingKey) {
      const entries = Object.entries(await redis.hgetall(roomKey(meetingKey)))
      const parsed = entries.map(([address, value]) => {
        const [node = '', sid = ''] = value.split(' ')
        return { address, node, sid, value }
      })
      const nodes = [...new Set(parsed.map((entry) => entry.node))]
      const alive = nodes.length === 0 ? [] : await redis.mget(nodes.map(nodeKey))
      const dead = new Set(nodes.filter((_, i) => alive[i] === null))
      for (const entry of parsed) {
        if (dead.has(entry.node)) {
          await redis.eval(REMOVE_IF_CURRENT, 1, roomKey(meetingKey), entry.address, entry.value)
        }
      }
      return parsed.filter((entry) => !dead.has(entry.node)).map(({ address, sid }) => ({ address, sid }))
    },
    async close() {
      clearInterval(timer)
      await redis.del(nodeKey(nodeId)).catch(() => undefined)
    },
  }
}
