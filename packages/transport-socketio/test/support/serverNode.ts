import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const cli = fileURLToPath(new URL('../../../server/src/cli.ts', import.meta.url))

export interface ServerNode {
  readonly url: string
  readonly port: number
  readonly child: ChildProcess
  /** SIGKILL: the node dies at once, cleaning nothing up (no goodbye, no session saved to Redis). */
  kill(): Promise<void>
  /** SIGTERM: the node closes cleanly. */
  stop(): Promise<void>
}

/**
 * A `convene-server` node in a process of its own, run from the sources with tsx (the test project
 * passes `TSX_TSCONFIG_PATH`, so a fresh clone needs no build), resolved once it prints its URL.
 */
export async function startNode(args: string[], port = 0): Promise<ServerNode> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', String(port), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CONVENE_LOG_LEVEL: 'info', CONVENE_SIGNING_KEY: '' },
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let out = ''
  let err = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk
  })
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk
      const match = /listening on (http:\/\/[\d.:]+)/.exec(out)
      if (match) resolve(match[1]!)
    })
    void exited.then(() => reject(new Error(`convene-server exited: ${err.slice(-1000)}`)))
  })
  const gone = () => child.exitCode !== null || child.signalCode !== null
  return {
    url,
    port: Number(new URL(url).port),
    child,
    async kill() {
      if (!gone()) child.kill('SIGKILL')
      await exited
    },
    async stop() {
      if (!gone()) child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    },
  }
}
