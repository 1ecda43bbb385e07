import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { type AddressInfo, createServer as createNetServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ConveneServer, createToken, generateSigningKey } from '@convene/server'
import { exportJWK, exportPKCS8 } from 'jose'
import { afterEach, describe, expect, it } from 'vitest'
import { getRoom, postToken } from './authSupport.js'
import { createSessionKey } from './sessionKey.js'
import { connectProven, openSignalling, peerIdOf } from './signallingSupport.js'

const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url))
const children: ChildProcess[] = []
const dirs: string[] = []

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

/** Runs the CLI until it prints its URL; `exited` resolves with its exit code. */
function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, CONVENE_SIGNING_KEY: '', CONVENE_LOG_LEVEL: '', ...env },
  })
  children.push(child)
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  let out = ''
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk
      // The start line, or at a level above info the open warning, names the URL.
      const match = /(?:listening on|can reach) (http:\/\/[\d.:]+)/.exec(out)
      if (match) resolve(match[1]!)
    })
    void exited.then((code) => reject(new Error(`exited with ${code}: ${stderr}`)))
  })
  const server = url.then(
    (base) =>
      ({
        url: base,
        path: '/peerjs',
        tokenUrl: `${base}/token`,
        jwksUrl: `${base}/.well-known/jwks.json`,
      }) as ConveneServer,
  )
  // Tests that expect an exit never await the URL.
  server.catch(() => {})
  return { child, server, exited, stderr: () => stderr, stdout: () => out }
}

async function keyFile(name: string, contents: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'convene-cli-'))
  dirs.push(dir)
  const path = join(dir, name)
  await writeFile(path, contents)
  return path
}

describe('convene-server', () => {
  it('with no flags: serves open, says so once, and POST /token says how to enable tokens', async () => {
    const { child, server, exited, stdout } = run([])
    const { url } = await server
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const response = await fetch(`${url}/convene/rooms/anything`)
    expect(await response.json()).toEqual({ peers: [] })
    const token = await postToken(await server, { meetingId: 'm', participantId: 'p', role: 'host' })
    expect(token.status).toBe(404)
    expect(await token.json()).toMatchObject({
      code: 'TOKENS_DISABLED',
      error: expect.stringContaining('--signing-key'),
    })
    // The log is JSON lines; one of them, and only one, is the warning.
    const lines = stdout()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { level: number; event?: string; msg: string })
    const warnings = lines.filter((line) => line.level >= 40)
    expect(warnings).toEqual([expect.objectContaining({ event: 'server.open', level: 40 })])
    expect(warnings[0]!.msg).toContain('runs OPEN, without tokens')
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  }, 30_000)

  it('--cors-origin: only the listed origins get CORS headers', async () => {
    const origins = ['http://127.0.0.1:5173', 'https://app.example.com']
    const { server } = run(['--cors-origin', origins[0]!, '--cors-origin', `${origins[1]},http://x.example`])
    const { url } = await server
    for (const origin of [...origins, 'http://x.example', 'https://evil.example']) {
      const response = await fetch(`${url}/convene/rooms/standup`, { headers: { Origin: origin } })
      const allowed = origin === 'https://evil.example' ? null : origin
      expect(response.headers.get('access-control-allow-origin')).toBe(allowed)
    }
  }, 30_000)

  it('--log-level warn: the open warning alone; a bad level or origin exits 1', async () => {
    const quiet = run(['--log-level', 'warn'])
    await quiet.server
    expect(quiet.stdout().trim().split('\n')).toEqual([expect.stringContaining('"event":"server.open"')])
    for (const [args, said] of [
      [
        ['--log-level', 'loud'],
        /^convene-server: Invalid --log-level: `loud` is not a level: use one of fatal, error, warn, info, debug, trace, silent\n/,
      ],
      [['--cors-origin', 'app.example.com'], /^convene-server: Invalid --cors-origin: /],
    ] as const) {
      const bad = run([...args])
      expect(await bad.exited).toBe(1)
      expect(bad.stderr()).toMatch(said)
      expect(bad.stderr()).not.toContain('Usage:')
    }
  }, 30_000)

  it('--allow-all: says loudly it lets everyone in, issues bound tokens, PeerServer checks possession', async () => {
    const { server: started, stdout } = run(['--allow-all'])
    const server = await started
    expect(stdout()).toContain('DEVELOPMENT token policy (--allow-all)')
    const session = await createSessionKey()
    const issued = await postToken(server, {
      meetingId: 'standup',
      participantId: 'ada',
      role: 'host',
      publicKey: session.publicJwk,
    })
    expect(issued.status).toBe(200)
    const { token } = (await issued.json()) as { token: string }
    const peerId = peerIdOf('standup', 'ada')
    expect(await openSignalling(server, peerId, 'plain')).toMatchObject({ kind: 'refused', status: 401 })
    const proven = await connectProven(server, { peerId, token, session })
    expect(proven).toMatchObject({ kind: 'message', type: 'OPEN' })
    if (proven.kind === 'message') proven.socket.terminate()
  }, 30_000)

  it('--signing-key <PEM file>: publishes that key; POST /token refuses, tokens from createToken work', async () => {
    const key = await generateSigningKey({ extractable: true })
    const path = await keyFile('key.pem', await exportPKCS8(key.privateKey))
    const { server: started, stdout } = run(['--signing-key', path])
    const server = await started
    expect(stdout()).toContain('POST /token refuses every request')
    expect(stdout()).not.toContain('DEVELOPMENT')
    // The start line must not announce tokens as if this server issued them.
    expect(stdout()).not.toMatch(/tokens at http/)
    // Every line has an `event` to filter on, this one too.
    expect(stdout()).toMatch(
      /"event":"server.tokens".*public keys at http.*POST http\S+\/token refuses every request/,
    )
    expect(await (await fetch(server.jwksUrl!)).json()).toEqual({ keys: [key.publicJwk] })
    const refused = await postToken(server, { meetingId: 'm', participantId: 'p', role: 'host' })
    expect(refused.status).toBe(403)
    // Why, and how to be allowed: a backend's createToken(), an authorize hook, or --allow-all.
    const body = (await refused.json()) as { code: string; error: string }
    expect(body.code).toBe('TOKEN_REFUSED')
    expect(body.error).toMatch(/no token policy/)
    for (const way of ['createToken()', 'authorize', '--allow-all']) expect(body.error).toContain(way)
    const session = await createSessionKey()
    const token = await createToken(
      { meetingId: 'standup', participantId: 'ada', role: 'participant', publicKey: session.publicJwk },
      key,
    )
    const proof = { sign: session.sign, peerId: peerIdOf('standup', 'ada') }
    expect((await getRoom(server, 'standup', token, proof)).status).toBe(200)
    expect((await getRoom(server, 'standup', token)).status).toBe(401)
    expect((await getRoom(server, 'standup')).status).toBe(401)
  }, 30_000)

  it('CONVENE_SIGNING_KEY holding a private JWK is the key', async () => {
    const key = await generateSigningKey({ extractable: true })
    const jwk = JSON.stringify(await exportJWK(key.privateKey))
    const { server } = run(['--allow-all'], { CONVENE_SIGNING_KEY: jwk })
    expect(await (await fetch((await server).jwksUrl!)).json()).toEqual({ keys: [key.publicJwk] })
  }, 30_000)

  it.each<[string, string[], RegExp]>([
    [
      'a missing key file',
      ['--signing-key', '/nonexistent/convene.pem'],
      /^convene-server: cannot read the signing key file \/nonexistent\/convene\.pem \(ENOENT\); make one with `openssl genpkey /,
    ],
    ['--expires-in without auth', ['--expires-in', '2h'], /^convene-server: --expires-in needs/],
    [
      'a ping interval that is no number of ms',
      ['--ping-interval', '5s'],
      /^convene-server: Invalid --ping-interval: must be an integer from 100 to 3600000 \(ms\)\n/,
    ],
    [
      'a failover grace in words',
      ['--failover-grace', 'soon'],
      /^convene-server: Invalid --failover-grace: /,
    ],
    ['a negative grace', ['--grace=-1'], /^convene-server: Invalid --grace: must be an integer from 0/],
  ])(
    'exits 1 with one line, not the usage, for %s',
    async (_label, args, message) => {
      const { exited, stderr } = run(args)
      expect(await exited).toBe(1)
      expect(stderr()).toMatch(message)
      expect(stderr()).not.toContain('Usage:')
    },
    30_000,
  )

  it('a port in use: one line naming the port and what to do, not the usage', async () => {
    const taken = createNetServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const { port } = taken.address() as AddressInfo
    try {
      const { exited, stderr } = run(['--port', String(port)])
      expect(await exited).toBe(1)
      expect(stderr()).toMatch(
        new RegExp(
          `^convene-server: port ${port} on 127\\.0\\.0\\.1 is already in use \\(EADDRINUSE\\).*--port\\n`,
        ),
      )
      expect(stderr()).not.toContain('Usage:')
    } finally {
      taken.close()
    }
  }, 30_000)

  it('an unknown flag still shows the usage', async () => {
    const { exited, stderr } = run(['--prot', '9001'])
    expect(await exited).toBe(1)
    expect(stderr()).toContain("Unknown option '--prot'")
    expect(stderr()).toContain('Usage:')
  }, 30_000)

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'on %s says it is stopping, then exits 0',
    async (signal) => {
      const { child, server, exited, stdout } = run([])
      await server
      child.kill(signal)
      expect(await exited).toBe(0)
      expect(stdout()).toContain(`"event":"server.stopping","signal":"${signal}"`)
    },
    30_000,
  )

  it('exits 1 for a key file that is not a key', async () => {
    const path = await keyFile('key.json', '{"kty":"EC"}')
    const { exited, stderr } = run(['--signing-key', path])
    expect(await exited).toBe(1)
    // Named by the flag that gave it (`--key` is another flag), with how to make a good one.
    expect(stderr()).toMatch(
      new RegExp(
        `^convene-server: --signing-key ${path} is not a signing key: expected a P-256 private key.*openssl genpkey`,
      ),
    )
  }, 30_000)

  it('a SEC1 key (openssl ecparam -genkey) is told how to convert it', async () => {
    const path = await keyFile(
      'sec1.pem',
      '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n',
    )
    const { exited, stderr } = run(['--signing-key', path])
    expect(await exited).toBe(1)
    expect(stderr()).toMatch(/is a SEC1 key .*openssl pkcs8 -topk8 -nocrypt/)
  }, 30_000)

  it('a key from CONVENE_SIGNING_KEY that is not a key is named as that', async () => {
    const { exited, stderr } = run([], { CONVENE_SIGNING_KEY: '{"kty":"EC"}' })
    expect(await exited).toBe(1)
    expect(stderr()).toMatch(/^convene-server: CONVENE_SIGNING_KEY is not a signing key: /)
  }, 30_000)

  it('a Redis that cannot be reached: one line naming it (password hidden) and what to do', async () => {
    const closed = createNetServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise((resolve) => closed.close(resolve))
    const { exited, stderr } = run(['--redis', `redis://:hunter2@127.0.0.1:${port}`])
    expect(await exited).toBe(1)
    expect(stderr()).toMatch(
      new RegExp(
        `^convene-server: cannot reach Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED.*\\): start Redis there`,
      ),
    )
    expect(stderr()).not.toContain('hunter2')
  }, 30_000)
})
