import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const script = fileURLToPath(new URL('./clientProcess.ts', import.meta.url))

export interface ClientNode {
  readonly child: ChildProcess
  /** SIGKILL: the process dies at once; its operating system closes its socket, with no goodbye. */
  kill(): Promise<void>
}

/** A participant in a process of its own (`clientProcess.ts`, from the sources), resolved once joined. */
export async function startClient(
  id: string,
  urls: readonly string[],
  auth: { tokenUrl: string | null; jwksUrl: string | null } = { tokenUrl: null, jwksUrl: null },
): Promise<ClientNode> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', script, id, auth.tokenUrl ?? '-', auth.jwksUrl ?? '-', ...urls],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_NO_WARNINGS: '1' } },
  )
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  let err = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk
  })
  await new Promise<void>((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk
      if (out.includes('joined')) resolve()
    })
    void exited.then(() => reject(new Error(`client ${id} exited: ${err.slice(-1000)}`)))
  })
  return {
    child,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
    },
  }
}
