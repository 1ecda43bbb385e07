import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const script = fileURLToPath(new URL('./child.ts', import.meta.url))

export interface Report {
  at: number
  event?: string
  reply?: number
  started?: number
  [key: string]: unknown
}

/** A participant in a child process: commands over IPC, every meeting event back with a timestamp. */
export class Participant {
  readonly reports: Report[] = []
  private seq = 0
  private exited = false
  private exit = ''
  private readonly waiters = new Set<() => void>()

  private constructor(
    readonly id: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (report: Report) => {
      this.reports.push(report)
      for (const wake of this.waiters) wake()
    })
    child.on('exit', (code, signal) => {
      this.exited = true
      this.exit = signal ?? `code ${code}`
      for (const wake of this.waiters) wake()
    })
  }

  get alive(): boolean {
    return !this.exited
  }

  static async start(options: {
    port: number
    meetingId: string
    id: string
    role?: 'host' | 'participant'
  }) {
    const child = fork(script, {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, PARTICIPANT: JSON.stringify({ role: 'participant', ...options }) },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    })
    // Kept in memory and shown only if the process dies on its own: a crash should say why.
    let stderr = ''
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000)
    })
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0)
        process.stderr.write(`participant ${options.id} died (${signal ?? code}):\n${stderr}\n`)
    })
    const participant = new Participant(options.id, child)
    await participant.waitFor((r) => r.event === 'started', 120_000)
    return participant
  }

  /** Sends a command; resolves with its reply. */
  async command(cmd: 'join' | 'leave' | 'end' | 'roster', timeoutMs = 60_000): Promise<Report> {
    const seq = ++this.seq
    this.child.send({ seq, cmd })
    const reply = await this.waitFor((r) => r.reply === seq, timeoutMs)
    if (reply.ok !== true) throw new Error(`${this.id} ${cmd}: ${String(reply.error)}`)
    return reply
  }

  /** Sends a command without waiting; returns when it was sent. */
  fire(cmd: 'join' | 'leave' | 'end'): number {
    const at = performance.timeOrigin + performance.now()
    this.child.send({ seq: ++this.seq, cmd })
    return at
  }

  /** The first report matching after `since` (a wall-clock time). */
  waitFor(match: (r: Report) => boolean, timeoutMs = 30_000, since = 0): Promise<Report> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.reports.find((r) => r.at >= since && match(r))
        if (found) finish(() => resolve(found))
        else if (this.exited) finish(() => reject(new Error(`${this.id} exited (${this.exit})`)))
      }
      const timer = setTimeout(() => finish(() => reject(new Error(`${this.id}: timed out`))), timeoutMs)
      const finish = (then: () => void) => {
        clearTimeout(timer)
        this.waiters.delete(check)
        then()
      }
      this.waiters.add(check)
      check()
    })
  }

  /** A crash: SIGKILL, no goodbye, no cleanup. Returns when the signal was sent. */
  crash(): number {
    const at = performance.timeOrigin + performance.now()
    this.child.kill('SIGKILL')
    return at
  }

  async stop(): Promise<void> {
    if (this.exited) return
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.kill('SIGKILL')
    await exited
  }
}
