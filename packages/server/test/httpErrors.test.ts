import { type ConveneServer, createConveneServer, generateSigningKey } from '@convene/server'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { connectPeer, listRoom, peerIdIn } from './helpers.js'

let server: ConveneServer
const written: string[] = []

beforeAll(async () => {
  // Express's own handler prints the stack with console.error; anything on stderr is a failure here.
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    written.push(String(chunk))
    return true
  })
  vi.spyOn(console, 'error').mockImplementation((...args) => {
    written.push(args.map(String).join(' '))
  })
  server = await createConveneServer({
    auth: { signingKey: await generateSigningKey(), authorize: () => true },
  })
})

afterAll(async () => {
  await server.close()
  vi.restoreAllMocks()
})

const json = { 'Content-Type': 'application/json' }
const ask = JSON.stringify({ meetingId: 'm', participantId: 'p', role: 'host' })

/** What the server must answer as JSON: [label, path, request, status, code]. */
const cases: [string, string, RequestInit, number, string][] = [
  [
    'a body with charset=latin1',
    '/token',
    { method: 'POST', headers: { 'Content-Type': 'application/json; charset=latin1' }, body: ask },
    415,
    'UNSUPPORTED_MEDIA_TYPE',
  ],
  [
    'a body with Content-Encoding: br',
    '/token',
    { method: 'POST', headers: { ...json, 'Content-Encoding': 'br' }, body: ask },
    415,
    'UNSUPPORTED_MEDIA_TYPE',
  ],
  [
    'a body that claims gzip and is not',
    '/token',
    { method: 'POST', headers: { ...json, 'Content-Encoding': 'gzip' }, body: ask },
    400,
    'INVALID_BODY',
  ],
  [
    'a malformed Content-Type',
    '/token',
    { method: 'POST', headers: { 'Content-Type': 'application/json; charset' }, body: ask },
    400,
    'INVALID_BODY',
  ],
  [
    'a text/plain body',
    '/token',
    { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: ask },
    400,
    'INVALID_BODY',
  ],
  [
    'a body that is not JSON',
    '/token',
    { method: 'POST', headers: json, body: '{"meetingId":' },
    400,
    'INVALID_BODY',
  ],
  [
    'an oversized body',
    '/token',
    { method: 'POST', headers: json, body: `"${'x'.repeat(64_000)}"` },
    413,
    'INVALID_BODY',
  ],
  ['GET on the token endpoint', '/token', {}, 405, 'METHOD_NOT_ALLOWED'],
  ['POST on the JWKS', '/.well-known/jwks.json', { method: 'POST' }, 405, 'METHOD_NOT_ALLOWED'],
  ['a malformed % escape in a room URL', '/convene/rooms/%E0%A4%A', {}, 400, 'INVALID_URL'],
  ['a lone % in a room URL', '/convene/rooms/100%', {}, 400, 'INVALID_URL'],
  ['DELETE on a room', '/convene/rooms/standup', { method: 'DELETE' }, 405, 'METHOD_NOT_ALLOWED'],
  ['a malformed % escape in a PeerServer URL', '/peerjs/%E0%A4%A/id', {}, 400, 'INVALID_URL'],
  ["PeerServer's discovery", '/peerjs/peerjs/peers', {}, 404, 'NOT_FOUND'],
  ['an unknown route', '/wp-admin', {}, 404, 'NOT_FOUND'],
  [
    'a large POST to an unknown route',
    '/upload',
    { method: 'POST', headers: json, body: 'x'.repeat(200_000) },
    404,
    'NOT_FOUND',
  ],
  ['an unknown route with a bad escape', '/%C0%80/x', { method: 'PUT' }, 404, 'NOT_FOUND'],
]

/** A stack frame, a file path or a source location: none may reach a client. */
const LEAK = /\bat \S+ \(|node_modules|\/work\/|\/home\/|[\w-]+\.[cm]?[jt]s:\d+|Error:/

describe('every error is JSON with a stable code', () => {
  it.each(cases)('%s', async (_label, path, init, status, code) => {
    const response = await fetch(`${server.url}${path}`, init)
    const text = await response.text()
    expect(response.status).toBe(status)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    expect(JSON.parse(text)).toEqual({ code, error: expect.any(String) })
    expect(text).not.toMatch(LEAK)
    expect(written).toEqual([])
  })

  it('still serves the good requests', async () => {
    const token = await fetch(`${server.tokenUrl}`, { method: 'POST', headers: json, body: ask })
    expect(token.status).toBe(200)
    expect(await (await fetch(`${server.url}/convene/rooms/%C3%A9t%C3%A9`)).json()).toEqual({
      code: 'UNAUTHORIZED',
      error: expect.any(String),
    })
    expect(written).toEqual([])
  })
})

describe('nothing a signalling client sends makes the server print a stack or stop', () => {
  it('garbage messages on an open PeerServer socket', async () => {
    // An open server: without auth, any id registers, so garbage comes from a registered client.
    const open = await createConveneServer({ logger: 'silent' })
    try {
      const sender = await connectPeer(open.url, peerIdIn('standup'))
      const stays = peerIdIn('standup')
      const other = await connectPeer(open.url, stays)
      const relayed = new Promise<string>((resolve) => other.on('message', (data) => resolve(String(data))))
      const garbage = [
        'null',
        '42',
        '"x"',
        '[]',
        '{}',
        '{"type":"OFFER"}',
        '{"type":"OFFER","dst":{"a":1}}',
        '{"type":"CANDIDATE","dst":"nobody","payload":{}}',
        '{"type":"__proto__"}',
        '{"type":"constructor","dst":"x"}',
        '{not json',
        'x'.repeat(100_000),
      ]
      for (const message of garbage) sender.send(message)
      sender.send(Buffer.from([0xff, 0xfe, 0x00]))
      // Messages of one socket are handled in order: once this one is relayed, so was all the garbage.
      sender.send(JSON.stringify({ type: 'OFFER', dst: stays, payload: { sdp: 'after the garbage' } }))
      expect(JSON.parse(await relayed)).toMatchObject({
        type: 'OFFER',
        payload: { sdp: 'after the garbage' },
      })
      expect(await listRoom(open.url, 'standup')).toContain(stays)
      sender.terminate()
      other.terminate()
      expect(written).toEqual([])
    } finally {
      await open.close()
    }
  })
})
