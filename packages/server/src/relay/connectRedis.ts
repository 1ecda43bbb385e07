import { createAdapter } from '@socket.io/redis-streams-adapter'
import { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { ServerOptions } from 'socket.io'
import { createRedisRelayState } from './redisRelayState.js'
import type { RelayState } from './relayState.js'

export interface RedisCluster {
  adapter: ServerOptions['adapter']
  state: RelayState
  close(): Promise<void>
}

/**
 * Joins the cluster at `url`: Socket.IO's Redis Streams adapter carries every broadcast between nodes
 * (and, unlike the Pub/Sub adapter, keeps sessions and missed packets for connection-state recovery, on
 * any node), and the relay's room directory and used proofs live in the same Redis. Rejects when Redis
 * cannot be reached, so a node never serves a cluster it is not part of.
 */
export async function connectRedis(url: string, log: Logger): Promise<RedisCluster> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 })
  // Without a listener, ioredis reports every reconnect attempt's error as unhandled.
  redis.on('error', (error: Error) => log.warn({ event: 'redis.error', error: error.message }, 'redis error'))
  await redis.connect()
  const state = createRedisRelayState(redis)
  return {
    // A short block, so a closed node's reader lets go of Redis within a second.
    adapter: createAdapter(redis, { blockTimeInMs: 1_000 }) as ServerOptions['adapter'],
    state,
    async close() {
      await state.close()
      await redis.quit().catch(() => redis.disconnect())
    },
  }
}
