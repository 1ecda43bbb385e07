import { type ChildProcess, fork, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const script = fileURLToPath(new URL('./participant.ts', import.meta.url))

export interface Report {
  at: number
  event?: string
  reply?: number
  /** On replies: when the child started the command. */
  started?: number
  [key: string]: unknown
}

export interface ParticipantOptions {
  port: number
  meetingId: string
  id: string
  role?: 'host' | 'participant'
  heartbeatIntervalMs?: number
  departureTimeoutMs?: number
  /** Runs the process through this argv prefix (`ip netns exec <name>`), binding WebRTC to `bindAddress`. */
  wrap?: (command: string[]) => string[]
  bindAddress?: string
}

/** A participant in a child process: commands go over IPC, every meeting event comes back with a timestamp. */
export class ParticipantProcess {
  readonly reports: Report[] = []
  private seq = 0
  private readonly child: ChildProcess
  private exited = false

  private constructor(
    readonly id: string,
    options: ParticipantOptions,
  ) {
    const { wrap, bindAddress, ...config } = options
    const env = {
      ...process.env,
      PARTICIPANT: JSON.stringify({ role: 'participant', ...config }),
      ...(bindAddress ? { CONVENE_BIND_ADDRESS: bindAddress } : {}),
      CONVENE_PHASE_WHO: options.id,
    }
    const stdio = ['ignore', 'ignore', 'pipe', 'ipc'] as const
    if (wrap) {
      // The IPC channel's descriptor survives `ip netns exec`, which execs the same process.
      const [command, ...args] = wrap([process.execPath, '--import', 'tsx', script])
      this.child = spawn(command!, args, { env, stdio: [...stdio] })
    } else {
      this.child = fork(script, { execArgv: ['--import', 'tsx'], env, stdio: [...stdio] })
    }
    this.child.stderr?.on('data', () => {})
    this.child.on('message', (message: Report) => this.reports.push(message))
    this.child.on('exit', () => {
      this.exited = true
    })
  }

  static async start(options: ParticipantOptions): Promise<ParticipantProcess> {
    const participant = new ParticipantProcess(options.id, options)
    await participant.waitFor((r) => r.event === 'started', 60_000)
    return participant
  }

  /** Sends a command and resolves with its reply. */
  async command(cmd: 'join' | 'leave' | 'end' | 'roster', timeoutMs = 60_000): Promise<Report> {
    this.seq += 1
    const seq = this.seq
    this.child.send({ seq, cmd })
    return this.waitFor((r) => r.reply === seq, timeoutMs)
  }

  events(event: string): Report[] {
    return this.reports.filter((r) => r.event === event)
  }

  async waitFor(match: (report: Report) => boolean, timeoutMs = 30_000, what = 'condition'): Promise<Report> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const found = this.reports.find(match)
      if (found) return found
      if (this.exited) throw new Error(`participant ${this.id} exited`)
      if (Date.now() > deadline) throw new Error(`participant ${this.id}: timed out waiting for ${what}`)
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
  }

  /** Kills the process like a crash: no goodbye, no cleanup. Resolves with the kill's timestamp. */
  crash(): number {
    const at = Date.now()
    this.child.kill('SIGKILL')
    return at
  }

  /** Freezes the process (SIGSTOP) for `ms`, as a starved CPU or a suspended laptop would; then it runs on. */
  async freeze(ms: number): Promise<void> {
    this.child.kill('SIGSTOP')
    await new Promise((resolve) => setTimeout(resolve, ms))
    this.child.kill('SIGCONT')
  }

  /** Stops the process (SIGSTOP) until {@link resume}: it runs no code, and the kernel keeps its sockets open. */
  pause(): void {
    this.child.kill('SIGSTOP')
  }

  resume(): void {
    this.child.kill('SIGCONT')
  }

  async stop(): Promise<void> {
    if (this.exited) return
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()))
    this.child.kill('SIGKILL')
    await exited
  }
}
