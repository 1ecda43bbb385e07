/**
 * The README's Node example, run as written in a Node process of its own (the real
 * `@convene/transport-peerjs/node` entry, from the sources), against a real `@convene/server` on
 * 127.0.0.1: with someone in the room, with a server that refuses it, and with no server at all.
 */
import './support/webrtc.js'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Meeting } from '@convene/core'
import { afterEach, describe, expect, it } from 'vitest'
import { waitFor } from './support/sessions.js'

const { createMeeting } = await import('@convene/core')
const { createConveneServer, generateSigningKey } = await import('@convene/server')
const { createPeerJSTransport } = await import('@convene/transport-peerjs')

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const readme = readFileSync(join(packageDir, 'README.md'), 'utf8')
const nodeSection = readme.slice(readme.indexOf('## Node'))
// The fence may carry flags (`ts no-run`: the README test leaves running it to this file).
const example = /```ts[^\n]*\n([\s\S]*?)```/.exec(nodeSection)?.[1] ?? ''

const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** Runs the README's example as a Node app would, against `port`. */
async function runExample(port: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  expect(example).toContain("from '@convene/transport-peerjs/node'")
  expect(example).toContain('port: 9000')
  return runNodeApp(example.replace('port: 9000', `port: ${port}`))
}

/** Runs `source` as a Node app's module, in a process of its own; killed if it has not exited in 50 s. */
async function runNodeApp(source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'convene-readme-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'app.ts')
  writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n')
  writeFileSync(file, source)
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    // The sources stand in for the published packages, through the repository's path map.
    env: { ...process.env, TSX_TSCONFIG_PATH: join(packageDir, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), 50_000)
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  clearTimeout(timer)
  // Core's development notice (no `auth`: roles are self-declared) is expected; anything else is not.
  stderr = stderr.replace(/^\[convene\] No `auth` given.*\n/m, '')
  return { code, stdout, stderr }
}

async function server(options: Parameters<typeof createConveneServer>[0] = {}) {
  const started = await createConveneServer({ host: '127.0.0.1', port: 0, ...options })
  cleanups.push(() => started.close())
  return started
}

describe("the README's Node example", () => {
  it('joins a real meeting, sees who is there, and leaves; the others see it come and go', async () => {
    const { port } = await server()
    const errors: unknown[] = []
    const host: Meeting = createMeeting({
      meetingId: 'standup',
      participant: { id: 'ada', role: 'host' },
      transport: createPeerJSTransport({ port }),
    })
    cleanups.push(() => host.dispose())
    host.on('error', (error) => errors.push(error))
    const seen: string[] = []
    host.on('participant-joined', (p) => seen.push(`joined ${p.id}`))
    host.on('participant-left', (p, { reason }) => seen.push(`left ${p.id} ${reason}`))
    await host.join()

    const { code, stdout, stderr } = await runExample(port)
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' })
    expect(stdout).toBe('in the room with ada\n')
    await waitFor(() => seen.length === 2, 10_000, 'ada to see the recorder leave')
    expect(seen).toEqual(['joined recorder', 'left recorder left'])
    expect(errors).toEqual([])
  })

  it('a server that refuses it: join() rejects with AUTH_FAILED and the reason, and the process exits cleanly', async () => {
    const { port } = await server({ auth: { signingKey: await generateSigningKey(), authorize: () => true } })
    const { code, stdout, stderr } = await runExample(port)
    expect(stdout).toBe('')
    expect(stderr).toMatch(/^could not join: AUTH_FAILED: join\(\) failed: The PeerServer refused/)
    expect(stderr).toContain('proof of possession')
    expect(stderr.trim().split('\n')).toHaveLength(1)
    expect(code).toBe(1)
  })

  it('no server: join() rejects with JOIN_FAILED naming the network error, and the process exits cleanly', async () => {
    const closed = await createConveneServer({ host: '127.0.0.1', port: 0 })
    const { port } = closed
    await closed.close()
    const { code, stdout, stderr } = await runExample(port)
    expect(stdout).toBe('')
    expect(stderr).toBe(
      `could not join: JOIN_FAILED: join() failed: Could not reach the Convene server at http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}.\n`,
    )
    expect(code).toBe(1)
  })
})

describe("the entry's RTCPeerConnection", () => {
  it('makes the offerer the DTLS client, so the early ClientHello libdatachannel would drop is never sent', async () => {
    const offerer = new RTCPeerConnection({ iceServers: [] })
    const answerer = new RTCPeerConnection({ iceServers: [] })
    // A candidate gathered after the test closed both is refused: that is not this test's failure.
    const refused: unknown[] = []
    let closed = false
    cleanups.push(() => {
      closed = true
      offerer.close()
      answerer.close()
    })
    const forwardTo = (to: RTCPeerConnection) => (event: RTCPeerConnectionIceEvent) => {
      if (event.candidate) to.addIceCandidate(event.candidate).catch((error) => closed || refused.push(error))
    }
    // Candidates before the offer: they wait for it, as in a browser.
    offerer.onicecandidate = forwardTo(answerer)
    answerer.onicecandidate = forwardTo(offerer)
    const channel = offerer.createDataChannel('x')
    const opened = new Promise((resolve) => channel.addEventListener('open', resolve))
    await offerer.setLocalDescription(await offerer.createOffer())
    expect(offerer.localDescription?.sdp).toMatch(/^a=setup:actpass\r?$/m)
    await answerer.setRemoteDescription(offerer.localDescription!)
    await answerer.setLocalDescription(await answerer.createAnswer())
    // libdatachannel alone answers `active` (the answerer, whose ICE connects first, would say hello first).
    expect(answerer.localDescription?.sdp).toMatch(/^a=setup:passive\r?$/m)
    await offerer.setRemoteDescription(answerer.localDescription!)
    await opened
    expect(refused).toEqual([])
  })

  it('closes a data channel that never opened along with its connection, so a Node app can exit', async () => {
    // PeerJS closes only the peer connection, often before its channel opens (a losing dial).
    // node-datachannel alone leaves such a channel `connecting` for good, holding the process open.
    const { code, stdout, stderr } = await runNodeApp(`
import '@convene/transport-peerjs/node'
const connection = new RTCPeerConnection({ iceServers: [] })
const channel = connection.createDataChannel('never-opens')
channel.addEventListener('close', () => console.log(\`channel \${channel.readyState}\`))
await connection.setLocalDescription(await connection.createOffer())
connection.close()
`)
    expect({ code, stdout, stderr }).toEqual({ code: 0, stdout: 'channel closed\n', stderr: '' })
  })
})
