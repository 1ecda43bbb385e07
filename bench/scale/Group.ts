import { type ChildProcess, fork } from 'node:child_process'
import { compileForNode } from '../lib/compile.js'
import type { Command, GroupConfig, Reply } from './protocol.js'

let compiled: Promise<string> | undefined

/** `--cpu-prof` into `$BENCH_SCALE_PROFILE/<run>/<kind>` when profiling (a clean exit writes the profile). */
export function profileFlags(run: string, kind: 'clients' | 'nodes'): string[] {
  const dir = process.env.BENCH_SCALE_PROFILE
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}/${run}/${kind}`] : []
}

/**
 * A group of participants in a child process (bench/scale/participants.ts), compiled once with esbuild as
 * the packages ship, so each process starts without tsx and its CPU goes to the meetings.
 */
export class Group {
  private seq = 0
  private readonly pending = new Map<number, (reply: Reply) => void>()
  private exitReason: string | null = null

  private constructor(
    readonly config: GroupConfig,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (reply: Reply) => {
      this.pending.get(reply.seq)?.(reply)
      this.pending.delete(reply.seq)
    })
    child.on('exit', (code, signal) => {
      this.exitReason = signal ?? `exit ${code}`
      for (const resolve of this.pending.values()) {
        resolve({ seq: -1, ok: false, at: 0, error: `group exited (${this.exitReason})` })
      }
      this.pending.clear()
    })
  }

  get ids(): string[] {
    return this.config.participants.map((p) => p.id)
  }

  get pid(): number {
    return this.child.pid ?? -1
  }

  get alive(): boolean {
    return this.exitReason === null
  }

  static async start(config: GroupConfig): Promise<Group> {
    compiled ??= compileForNode('../scale/participants.ts', 'scale-participants')
    const child = fork(await compiled, {
      env: { ...process.env, SCALE_GROUP: JSON.stringify(config) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // A thousand meetings' sockets and rosters in a few processes.
      execArgv: ['--max-old-space-size=2048', ...profileFlags(config.meetingId, 'clients')],
    })
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000)
    })
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0 && code !== null)
        process.stderr.write(`participant group died (${signal ?? code}):\n${stderr}\n`)
    })
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve())
      child.once('exit', (code, signal) =>
        reject(new Error(`group exited before it started (${signal ?? code}): ${stderr.slice(-500)}`)),
      )
    })
    return new Group(config, child)
  }

  /** Sends a command and resolves with its reply (rejects when the group refused it or died). */
  async command<T = Reply>(command: Command, timeoutMs = 600_000): Promise<T & Reply> {
    if (!this.alive) throw new Error(`group exited (${this.exitReason})`)
    const seq = ++this.seq
    const reply = await new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${command.cmd}: no reply in ${timeoutMs} ms`)),
        timeoutMs,
      )
      this.pending.set(seq, (r) => {
        clearTimeout(timer)
        resolve(r)
      })
      this.child.send({ seq, ...command })
    })
    if (!reply.ok) throw new Error(`${command.cmd}: ${reply.error}`)
    return reply as T & Reply
  }

  /** A crash: SIGKILL, no goodbye. Returns when the signal was sent (wall clock). */
  crash(): number {
    const at = performance.timeOrigin + performance.now()
    this.child.kill('SIGKILL')
    return at
  }

  async stop(): Promise<void> {
    if (!this.alive) return
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    if (process.env.BENCH_SCALE_PROFILE) {
      // A profile is written at a clean exit only: ask, and wait a while for it.
      await this.command({ cmd: 'exit' }, 10_000).catch(() => undefined)
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000))])
      if (!this.alive) return
    }
    this.child.kill('SIGKILL')
    await exited
  }
}

/** Sends one command to every group at once. */
export const everyGroup = <T>(groups: readonly Group[], command: Command, timeoutMs?: number) =>
  Promise.all(groups.filter((g) => g.alive).map((g) => g.command<T>(command, timeoutMs)))
