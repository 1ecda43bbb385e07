import { isMeetingError } from '@convene/core'
import { type ConveneServerOptions, createConveneServer, generateSigningKey } from '@convene/server'
import { describe, expect, it } from 'vitest'
import { captureLogs } from './logSupport.js'
import { closedAfterEach } from './signallingSupport.js'

const { servers } = closedAfterEach()

async function start(options: ConveneServerOptions = {}) {
  const logs = captureLogs('info')
  const server = await createConveneServer({ ...options, logger: logs.logger })
  servers.push(server)
  return { server, ...logs }
}

describe('an open server says so', () => {
  it('warns once at start, naming how to turn tokens on', async () => {
    const { server, events, lines } = await start()
    const open = events('server.open')
    expect(open).toEqual([expect.objectContaining({ level: 40, url: server.url })])
    expect(open[0]!.msg).toMatch(/runs OPEN, without tokens/)
    expect(open[0]!.msg).toContain('auth: { signingKey, authorize }')
    expect(open[0]!.msg).toContain('--signing-key')
    // Only once, and nothing else warns.
    await fetch(`${server.url}/convene/rooms/standup`)
    expect(lines.filter((line) => (line.level as number) >= 40)).toHaveLength(1)
  })

  it('says nothing of the kind with auth', async () => {
    const { events } = await start({
      auth: { signingKey: await generateSigningKey(), authorize: () => false },
    })
    expect(events('server.open')).toEqual([])
  })

  it.each([
    ['POST', '/token'],
    ['GET', '/token'],
    ['GET', '/.well-known/jwks.json'],
  ])('%s %s answers JSON 404 TOKENS_DISABLED saying how to enable tokens', async (method, path) => {
    const { server } = await start()
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', Origin: 'http://localhost:5173' },
      ...(method === 'POST' ? { body: '{"meetingId":"m","participantId":"p","role":"host"}' } : {}),
    })
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    // A browser app can read why, too.
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173')
    const body = (await response.json()) as { code: string; error: string }
    expect(body.code).toBe('TOKENS_DISABLED')
    expect(body.error).toMatch(/runs without tokens: pass `auth: .*--signing-key <file>.*--allow-all/)
  })
})

describe('CORS origin allow-list', () => {
  const origins = ['http://127.0.0.1:5173', 'https://app.example.com']

  it('answers listed origins on every route, and gives others no CORS headers', async () => {
    const { server } = await start({
      corsOrigin: origins,
      auth: { signingKey: await generateSigningKey(), authorize: () => true },
    })
    const routes = ['/convene/rooms/standup', '/token', '/.well-known/jwks.json', '/peerjs/']
    for (const path of routes) {
      for (const origin of [...origins, 'https://evil.example', 'null']) {
        const preflight = await fetch(`${server.url}${path}`, {
          method: 'OPTIONS',
          headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' },
        })
        const allowed = origins.includes(origin) ? origin : null
        expect([path, origin, preflight.headers.get('access-control-allow-origin')]).toEqual([
          path,
          origin,
          allowed,
        ])
        expect(preflight.headers.get('access-control-allow-credentials')).toBeNull()
      }
    }
  })

  it('reflects any origin by default, never with credentials', async () => {
    const { server } = await start()
    const response = await fetch(`${server.url}/convene/rooms/standup`, {
      headers: { Origin: 'https://any.example' },
    })
    expect(response.headers.get('access-control-allow-origin')).toBe('https://any.example')
    expect(response.headers.get('access-control-allow-credentials')).toBeNull()
  })

  it.each([
    ['app.example.com'],
    ['https://app.example.com/'],
    ['https://app.example.com/path'],
    ['*'],
    ['ftp://x.example'],
  ])('refuses %s as an origin', async (origin) => {
    const error = await createConveneServer({ corsOrigin: [origin], logger: 'silent' }).catch(
      (e: unknown) => e,
    )
    expect(isMeetingError(error) && error.details.option).toBe('corsOrigin')
  })
})
