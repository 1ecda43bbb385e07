import { createAdapter } from '@socket.io/redis-streams-adapter'
import { Redis } from 'ioredis'
import type { Logger } from 'pino'
import type { ServerOptions } from 'socket.io'
import { createRedisRelayState } from './redisRelayState.js'
import type { RelayState } from './relayState.js'

/**
 * Entries the adapter's Redis stream keeps (`XADD MAXLEN ~`). Every broadcast and every addressed
 * message of every meeting is one entry, and each node reads the stream from where it last was: a
 * node that falls further behind than this (stalled, or a burst faster than it reads) silently loses
 * the entries trimmed meanwhile, and so does a session recovering after a drop (its missed packets are
 * read from the stream). The adapter's default, 10,000, is one join of a 100-person meeting under
 * per-pair hellos; with the relay vouching for identity a join is one entry and `end()` among 1,000 a
 * few thousand (END, ACKs, batched departures). 100,000 entries (a few hundred bytes each: tens of MB
 * of Redis memory) cover that burst many times over and several seconds of a node's stall at the
 * busiest rate measured; DEPLOYMENT.md says how to watch for a node lagging past it.
 */
const STREAM_MAX_LEN = 100_000
/**
 * Entries a node reads per XREAD: 10 times the adapter's default, so a node that fell behind in a
 * burst catches up in few round trips instead of lagging further.
 */
const STREAM_READ_COUNT = 1_000

/** The URL as it may be shown: a password in it is replaced by `***`. */
function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'the given URL'
  }
}

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
  let lastError = ''
  // Without a listener, ioredis reports every reconnect attempt's error as unhandled.
  redis.on('error', (error: Error) => {
    lastError = error.message
    log.warn({ event: 'redis.error', error: error.message }, 'redis error')
  })
  try {
    await redis.connect()
  } catch (error) {
    redis.disconnect()
    // ioredis rejects with "Connection is closed.", which names neither Redis nor the address.
    const why = lastError || (error instanceof Error ? error.message : String(error))
    throw new Error(
      `cannot reach Redis at ${withoutPassword(url)} (${why}): start Redis there, or fix the URL (\`redis\`, --redis)`,
      {
        cause: error,
      },
    )
  }
  const state = createRedisRelayState(redis)
  return {
    // A short block, so a closed node's reader lets go of Redis within a second.
    adapter: createAdapter(redis, {
      blockTimeInMs: 1_000,
      maxLen: STREAM_MAX_LEN,
      readCount: STREAM_READ_COUNT,
      // The relay sends JSON text and plain objects only: no binary checks on every packet.
      onlyPlaintext: true,
    }) as ServerOptions['adapter'],
    state,
    async close() {
      await state.close()
      await redis.quit().catch(() => redis.disconnect())
    },
  }
}
