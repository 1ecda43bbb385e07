import { type ChildProcess, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { aptInstall, onPath as onPathIn } from '../../../../test/support/executables.js'

/** What fixes a machine with no Redis: Debian's package, the server the cluster tests are run with. */
export const INSTALL_COMMAND = 'apt-get update && apt-get install -y redis-server'

/** Where Debian puts it, for a `PATH` that lacks them (`/usr/sbin` is often missing from a user's). */
const SYSTEM_DIRS = ['/usr/bin', '/usr/sbin']

export interface ObtainRedisOptions {
  /** Defaults to `process.env`: `redis-server` and `apt-get` are looked up on its `PATH`. */
  env?: NodeJS.ProcessEnv
  /** Folders tried after `PATH`. Defaults to `/usr/bin` and `/usr/sbin`. */
  fallbackDirs?: readonly string[]
  /** Whether this process may install system packages. Defaults to running as root. */
  isRoot?: boolean
  /** Where the notice of an install goes. Defaults to stderr. */
  log?: (line: string) => void
}

/**
 * The `redis-server` binary, or Debian's installed when this process is root and has `apt-get`, as a
 * fresh machine's `npm test` must. Otherwise it throws, naming the command that fixes it.
 */
export function obtainRedisServer(options: ObtainRedisOptions = {}): string {
  const env = options.env ?? process.env
  const fallbackDirs = options.fallbackDirs ?? SYSTEM_DIRS
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  const onPath = (name: string) => onPathIn(name, env, fallbackDirs)
  const found = onPath('redis-server')
  if (found) return found
  const apt = onPath('apt-get')
  const fix = `No redis-server for the Socket.IO cluster tests. Fix: run \`${INSTALL_COMMAND}\` as root.`
  if (!(options.isRoot ?? process.getuid?.() === 0) || !apt) {
    throw new Error(`${fix} ${apt ? 'Not root, so not installing it myself' : 'apt-get was not found'}.`)
  }
  log(`No redis-server found: installing Debian's (${INSTALL_COMMAND})…`)
  try {
    aptInstall(apt, 'redis-server', env)
  } catch (error) {
    throw new Error(`${fix} ${(error as Error).message}`)
  }
  const installed = onPath('redis-server')
  if (!installed) throw new Error(`${fix} apt-get installed redis-server, but no binary was found after.`)
  return installed
}

/** A port free right now on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number }
      probe.close(() => resolve(port))
    })
  })
}

export interface RedisServer {
  readonly url: string
  stop(): Promise<void>
}

/** A throwaway Redis on a free port: no disk, no config file; stopped (SIGKILL if need be) by `stop()`. */
export async function startRedis(binary: string): Promise<RedisServer> {
  const port = await freePort()
  const child: ChildProcess = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--protected-mode',
      'yes',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk
      if (out.includes('Ready to accept connections')) resolve()
    })
    void exited.then(() => reject(new Error(`redis-server exited before it was ready: ${out.slice(-500)}`)))
  })
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 3_000)
      await exited
      clearTimeout(timer)
    },
  }
}
