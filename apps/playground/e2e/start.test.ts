import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterEach, expect, it } from 'vitest'

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))
let child: ChildProcess | undefined

afterEach(() => {
  if (child?.pid && groupAlive(-child.pid)) process.kill(-child.pid, 'SIGKILL')
})

interface Started {
  process: ChildProcess
  playground: string
  server: string
  /** Everything it printed on stdout and stderr so far. */
  output(): string
}

/** `npm start` in a process group of its own, as a terminal runs it, once it has printed both URLs. */
function npmStart(): Promise<Started> {
  // PORT=0: any free port, so the test never collides with a running `npm start`.
  const started = spawn('npm', ['start'], {
    cwd: repoRoot,
    env: { ...process.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  child = started
  let output = ''
  for (const stream of [started.stdout, started.stderr]) {
    stream?.on('data', (chunk: Buffer) => {
      output += chunk.toString()
    })
  }
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const playground = /Convene playground:\s+(http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1]
      const server = /Convene server:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1]
      if (playground && server) {
        clearInterval(timer)
        resolve({ process: started, playground, server, output: () => output })
      }
    }, 50)
    setTimeout(() => {
      clearInterval(timer)
      reject(new Error(`no URL printed within 60 s:\n${output}`))
    }, 60_000)
    started.once('exit', (code) => {
      clearInterval(timer)
      reject(new Error(`npm start exited (${code}) before printing:\n${output}`))
    })
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

/** Nothing of it is left running (not npm, not tsx, not the node process that served), and both ports are closed. */
async function expectAllStopped(started: Started) {
  const group = -(started.process.pid as number)
  await expect.poll(() => groupAlive(group), { timeout: 10_000 }).toBe(false)
  await expect(fetch(started.playground)).rejects.toThrow()
  await expect(fetch(started.server)).rejects.toThrow()
}

it('npm start serves the playground and the Convene server on 127.0.0.1, and Ctrl-C stops both', async () => {
  const started = await npmStart()
  const { playground, server } = started
  // The playground's token policy grants everything, and says so where the developer looks.
  expect(started.output()).toContain('DEVELOPMENT token policy')

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
    .poll(() => started.output())
    .toMatch(/INFO \(convene-server\): token issued .*"meetingId":"nobody-here","participantId":"probe"/)
  expect(started.output()).toMatch(/WARN \(convene-server\): room listing refused: .*"status":401/)
  expect(started.output()).not.toContain(token.split('.')[2])
  expect((await fetch(`${server}/.well-known/jwks.json`)).status).toBe(200)

  const exited = new Promise<void>((resolve) => started.process.once('exit', () => resolve()))
  // What a terminal's Ctrl-C does: SIGINT to the whole foreground process group.
  process.kill(-(started.process.pid as number), 'SIGINT')
  await exited
  expect(started.output()).toContain('SIGINT: stopping')
  await expectAllStopped(started)
})

// A process manager, `kill <pid>`, or a test harness signals only the process it started: npm itself.
it.each(['SIGTERM', 'SIGINT'] as const)(
  '%s sent only to the npm process stops everything',
  async (signal) => {
    const started = await npmStart()
    const exited = new Promise<void>((resolve) => started.process.once('exit', () => resolve()))
    started.process.kill(signal)
    await exited
    expect(started.output()).toContain(`${signal}: stopping`)
    await expectAllStopped(started)
  },
)
