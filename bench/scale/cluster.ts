/**
 * Two `convene-server` nodes (child processes) sharing a real Redis, as in production behind a load
 * balancer: one signing key, `--redis`, tokens from `POST /token` (`--allow-all`, development only).
 * Without auth, the nodes run open (no key: the relay takes any address, as `npm start` does).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generateSigningKey } from '@convene/server'
import { Redis } from 'ioredis'
import { exportPKCS8 } from 'jose'
import {
  obtainRedisServer,
  type RedisServer,
  startRedis,
} from '../../packages/transport-socketio/test/support/redisServer.js'
import { compileForNode } from '../lib/compile.js'
import { traceLine, tracing } from './failoverTrace.js'
import { profileFlags } from './Group.js'

export interface ServerNode {
  readonly url: string
  readonly port: number
  readonly pid: number
  /** How many times the node logged each relay event so far (`relay.joined`, `relay.dropped`, …). */
  readonly events: Map<string, number>
  /** With `BENCH_SCALE_TRACE=1` (the node logs at `debug`): participant id → relay event → when it was last logged. */
  readonly trace: Map<string, Record<string, number>>
  /** SIGKILL: no goodbye, nothing cleaned up. Returns when the signal was sent (wall clock). */
  kill(): number
  exited: Promise<void>
  stop(): Promise<void>
}

/** CPU time (user + system) of a process so far, ms, from /proc (Linux). */
export function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return Number.NaN
  }
}

/** CPU time the whole machine spent busy so far (every process, other users' too), ms, from /proc/stat. */
export function machineBusyMs(): number {
  try {
    const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/)
    const [user, nice, system, , , irq, softirq, steal] = ticks.map(Number) as number[]
    return (user! + nice! + system! + irq! + softirq! + steal!) * 10
  } catch {
    return Number.NaN
  }
}

/** The relay's liveness timing, ms (`convene-server`'s defaults unless the bench sets them). */
export interface RelayTiming {
  pingIntervalMs: number
  pingTimeoutMs: number
  recoveryMs: number
  /** How long a dead node's sessions are held once another node claims it (`--failover-grace`). */
  failoverGraceMs: number
}

/** `convene-server`'s own defaults (`ConveneRelayOptions`). */
export const RELAY_DEFAULTS: RelayTiming = {
  pingIntervalMs: 5_000,
  pingTimeoutMs: 10_000,
  recoveryMs: 5_000,
  failoverGraceMs: 15_000,
}

/**
 * `BENCH_SCALE_RELAY=<interval>,<timeout>,<grace>,<failover grace>` (ms): the relay's timing for this
 * run, passed as `--ping-interval`, `--ping-timeout`, `--grace` and `--failover-grace`; unset, the nodes
 * run with their defaults.
 */
export function relayTimingFromEnv(): RelayTiming | null {
  const raw = process.env.BENCH_SCALE_RELAY
  if (!raw) return null
  const values = raw.split(',').map(Number)
  if (values.length !== 4 || !values.every((v) => Number.isInteger(v) && v >= 0)) {
    throw new Error(
      `BENCH_SCALE_RELAY must be <interval>,<timeout>,<grace>,<failover grace> in ms, not ${raw}`,
    )
  }
  const [pingIntervalMs, pingTimeoutMs, recoveryMs, failoverGraceMs] = values as [
    number,
    number,
    number,
    number,
  ]
  return { pingIntervalMs, pingTimeoutMs, recoveryMs, failoverGraceMs }
}

export class Cluster {
  readonly nodes: ServerNode[] = []
  private constructor(
    private readonly redis: RedisServer,
    private readonly redisClient: Redis,
    private readonly keyDir: string,
    private readonly cli: string,
    private readonly auth: boolean,
    private readonly name: string,
    /** The relay's timing; `null`: the nodes' defaults (no flags). */
    private readonly timing: RelayTiming | null,
  ) {}

  /** `name`: the meeting's, for the nodes' profiles when profiling. */
  static async start(auth: boolean, name = 'cluster', timing = relayTimingFromEnv()): Promise<Cluster> {
    const redis = await startRedis(obtainRedisServer())
    const keyDir = await mkdtemp(join(tmpdir(), 'convene-scale-'))
    // Both nodes sign and check tokens with one key, as a cluster behind one load balancer must.
    const key = await generateSigningKey({ extractable: true })
    await writeFile(join(keyDir, 'signing-key.pem'), await exportPKCS8(key.privateKey))
    const client = new Redis(redis.url, { lazyConnect: true })
    await client.connect()
    const cluster = new Cluster(
      redis,
      client,
      keyDir,
      await compileForNode('../../packages/server/src/cli.ts', 'scale-server'),
      auth,
      name,
      timing,
    )
    await cluster.startNode()
    await cluster.startNode()
    return cluster
  }

  get tokenUrl(): string {
    return `${this.nodes[0]!.url}/token`
  }

  get jwksUrl(): string {
    return `${this.nodes[0]!.url}/.well-known/jwks.json`
  }

  /** Starts a node (on `port`, such as a killed node's, or a free one) and adds it to `nodes`. */
  async startNode(port = 0): Promise<ServerNode> {
    const key = ['--allow-all', '--signing-key', join(this.keyDir, 'signing-key.pem')]
    const t = this.timing
    const timing = t
      ? [
          ...['--ping-interval', t.pingIntervalMs, '--ping-timeout', t.pingTimeoutMs],
          ...['--grace', t.recoveryMs, '--failover-grace', t.failoverGraceMs],
        ]
      : []
    const args = [
      '--port',
      String(port),
      '--redis',
      this.redis.url,
      ...(this.auth ? key : []),
      ...timing.map(String),
    ]
    const child: ChildProcess = spawn(
      process.execPath,
      [...profileFlags(this.name, 'nodes'), this.cli, ...args],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          CONVENE_SIGNING_KEY: '',
          ...(tracing ? { CONVENE_LOG_LEVEL: 'debug' } : {}),
        },
      },
    )
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
    const events = new Map<string, number>()
    const trace = new Map<string, Record<string, number>>()
    let partial = ''
    let err = ''
    child.stderr!.on('data', (chunk: Buffer) => {
      err = (err + chunk).slice(-2000)
    })
    const url = await new Promise<string>((resolve, reject) => {
      let out = ''
      const read = (chunk: Buffer) => {
        out += chunk
        const match = /listening on (http:\/\/[\d.:]+)/.exec(out)
        if (!match) return
        // The node logs every session (info): counted, so a run can say what the relay saw.
        child.stdout!.off('data', read)
        child.stdout!.on('data', (more: Buffer) => {
          for (const [, event] of more.toString().matchAll(/"event":"(relay\.[a-z-]+)"/g)) {
            events.set(event!, (events.get(event!) ?? 0) + 1)
          }
          if (!tracing) return
          const lines = (partial + more).split('\n')
          partial = lines.pop() ?? ''
          for (const line of lines) traceLine(line, trace)
        })
        resolve(match[1]!)
      }
      child.stdout!.on('data', read)
      void exited.then(() => reject(new Error(`convene-server exited: ${err.slice(-1000)}`)))
    })
    const node: ServerNode = {
      url,
      port: Number(new URL(url).port),
      pid: child.pid ?? -1,
      events,
      trace,
      exited,
      kill() {
        const at = performance.timeOrigin + performance.now()
        child.kill('SIGKILL')
        return at
      },
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return
        child.kill('SIGTERM')
        const timer = setTimeout(
          () => child.kill('SIGKILL'),
          process.env.BENCH_SCALE_PROFILE ? 30_000 : 5_000,
        )
        await exited
        clearTimeout(timer)
      },
    }
    this.nodes.push(node)
    return node
  }

  /** The relay's timing the nodes run with. */
  get relay(): RelayTiming {
    return this.timing ?? RELAY_DEFAULTS
  }

  /** What the table says of the relay's timing. */
  get relayTiming(): string {
    const { pingIntervalMs: i, pingTimeoutMs: t, recoveryMs: g, failoverGraceMs: f } = this.relay
    const ms = (v: number) => v.toLocaleString('en-US')
    return `${ms(i)} + ${ms(t)}, ${ms(g)}, ${ms(f)}${this.timing ? ' (set by the bench)' : ''}`
  }

  /** Redis's own CPU so far (user + system), ms. */
  async redisCpuMs(): Promise<number> {
    const info = await this.redisClient.info('cpu')
    const read = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? Number.NaN)
    return (read('used_cpu_user') + read('used_cpu_sys')) * 1000
  }

  /**
   * Packets the nodes have put on the Socket.IO adapter's Redis stream so far (`entries-added`, Redis 7),
   * and how many the stream still holds: the adapter trims it to about `maxLen` (10,000) entries.
   */
  async adapterStream(): Promise<{ added: number; length: number }> {
    const info = (await this.redisClient.call('XINFO', 'STREAM', 'socket.io').catch(() => [])) as unknown[]
    const field = (name: string) => Number(info[info.indexOf(name) + 1] ?? Number.NaN)
    return { added: field('entries-added'), length: field('length') }
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.stop()))
    await this.redisClient.quit().catch(() => this.redisClient.disconnect())
    await this.redis.stop()
    await rm(this.keyDir, { recursive: true, force: true })
  }
}
