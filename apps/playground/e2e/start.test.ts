import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, expect, it } from 'vitest'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
let child: ChildProcess | undefined

afterEach(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL')
})

function waitForUrls(process: ChildProcess): Promise<{ playground: string; server: string }> {
  return new Promise((resolve, reject) => {
    let output = ''
    const timer = setTimeout(() => reject(new Error(`no URL printed within 60 s:\n${output}`)), 60_000)
    process.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      const playground = /Convene playground:\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1]
      const server = /Convene server:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
      if (playground && server) {
        clearTimeout(timer)
        resolve({ playground, server })
      }
    })
    process.once('exit', (code) =>
      reject(new Error(`npm start exited (${code}) before printing:\n${output}`)),
    )
  })
}

function groupAlive(group: number): boolean {
  try {
    process.kill(group, 0)
    return true
  } catch {
    return false
  }
}

it('npm start serves the playground and the Convene server on 127.0.0.1, and Ctrl-C stops both', async () => {
  // PORT=0: any free port, so the test never collides with a running `npm start`.
  child = spawn('npm', ['start'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, as a terminal's Ctrl-C reaches npm, tsx and node
  })
  let errors = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString()
  })
  let logged = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    logged += chunk.toString()
  })
  const { playground, server } = await waitForUrls(child)
  // The playground's token policy grants everything, and says so where the developer looks.
  expect(errors).toContain('DEVELOPMENT token policy')

  const page = await fetch(playground)
  expect(page.status).toBe(200)
  expect(await page.text()).toContain('<div id="root">')
  // The room directory answers only with a token for that meeting, which POST /token hands out.
  expect((await fetch(`${server}/convene/rooms/nobody-here`)).status).toBe(401)
  const granted = await fetch(`${server}/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ meetingId: 'nobody-here', participantId: 'probe', role: 'participant' }),
  })
  expect(granted.status).toBe(200)
  const { token } = (await granted.json()) as { token: string }
  const room = await fetch(`${server}/convene/rooms/nobody-here`, {
    headers: { Authorization: `Bearer ${token}` },
  })
  expect(room.status).toBe(200)
  expect(await room.json()).toEqual({ peers: [] })
  // The server's log, pretty: who got a token for which meeting, and who was refused; never the token.
  await expect
    .poll(() => logged)
    .toMatch(/INFO \(convene-server\): token issued .*"meetingId":"nobody-here","participantId":"probe"/)
  expect(logged).toMatch(/WARN \(convene-server\): room listing refused: .*"status":401/)
  expect(logged).not.toContain(token.split('.')[2])
  expect((await fetch(`${server}/.well-known/jwks.json`)).status).toBe(200)

  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString()
  })
  const exited = new Promise<void>((resolve) => child?.once('exit', () => resolve()))
  const group = -(child.pid as number)
  // What a terminal's Ctrl-C does: SIGINT to the whole foreground process group.
  process.kill(group, 'SIGINT')
  await exited
  expect(output).toContain('SIGINT: stopping')
  // Nothing of it is left running: not npm, not tsx, not the node process that served.
  await expect.poll(() => groupAlive(group), { timeout: 10_000 }).toBe(false)
  await expect(fetch(playground)).rejects.toThrow()
  await expect(fetch(server)).rejects.toThrow()
})
