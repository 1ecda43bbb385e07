import { isMeetingError } from '@convene/core'
import { createConveneServer } from '@convene/server'
import { describe, expect, it } from 'vitest'
import { getRoom, postToken, startAuthServer } from './authSupport.js'
import { waitFor } from './helpers.js'
import { captureLogs } from './logSupport.js'
import { createSessionKey } from './sessionKey.js'
import { boundToken, closedAfterEach, connectProven, openSignalling, peerIdOf } from './signallingSupport.js'

const { servers, sockets } = closedAfterEach()

/** A server with auth that refuses mallory, logging into memory. */
async function start(level: 'debug' | 'info' | 'warn' = 'debug') {
  const logs = captureLogs(level)
  const started = await startAuthServer(
    { authorize: ({ participantId }) => participantId !== 'mallory' },
    { logger: logs.logger },
  )
  servers.push(started.server)
  return { ...started, ...logs }
}

/** No log line holds the token, nor its signature or payload alone. */
function expectNoToken(raw: readonly string[], token: string) {
  const [, payload, signature] = token.split('.')
  for (const line of raw) {
    expect(line).not.toContain(payload)
    expect(line).not.toContain(signature)
  }
}

describe('structured logs', () => {
  it('logs its start as JSON with a level', async () => {
    const { lines, server } = await start()
    expect(lines[0]).toMatchObject({
      level: 30,
      event: 'server.listening',
      url: server.url,
      path: '/peerjs',
      relayPath: '/convene/relay',
      redis: false,
    })
    expect(lines[0]!.msg).toBe(
      `convene-server listening on ${server.url} (PeerServer at /peerjs, rooms at /convene/rooms, relay at /convene/relay)`,
    )
  })

  it('logs tokens issued and refused (who, which meeting, why), never the token', async () => {
    const { server, events, raw } = await start()
    const token = await boundToken(server, await createSessionKey(), 'standup', 'ada')
    expect(
      (await postToken(server, { meetingId: 'standup', participantId: 'mallory', role: 'host' })).status,
    ).toBe(403)
    expect((await postToken(server, { meetingId: 'standup', role: 'host' })).status).toBe(400)

    expect(events('token.issued')).toEqual([
      expect.objectContaining({
        level: 30,
        meetingId: 'standup',
        participantId: 'ada',
        role: 'participant',
        bound: true,
        granted: { meetingId: 'standup', participantId: 'ada', role: 'participant' },
        expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        ip: '127.0.0.1',
        msg: 'token issued',
      }),
    ])
    const refused = events('token.refused')
    expect(refused).toEqual([
      expect.objectContaining({
        level: 40,
        meetingId: 'standup',
        participantId: 'mallory',
        bound: false,
        reason: 'authorize refused',
      }),
      expect.objectContaining({ level: 40, reason: expect.stringContaining('participantId') }),
    ])
    expectNoToken(raw, token)
  })

  it('logs peers registering and leaving, and signalling refusals with their reason, never the token', async () => {
    const { server, events, raw } = await start()
    const session = await createSessionKey()
    const peerId = peerIdOf('standup', 'ada')
    const token = await boundToken(server, session, 'standup', 'ada')

    expect(await openSignalling(server, peerId, token)).toMatchObject({ kind: 'refused', status: 401 })
    const other = peerIdOf('standup', 'eve')
    expect(await connectProven(server, { peerId: other, token, session })).toMatchObject({ status: 401 })
    const proven = await connectProven(server, { peerId, token, session })
    if (proven.kind !== 'message') throw new Error('not registered')
    sockets.push(proven.socket)
    await waitFor(() => events('peer.registered').length === 1)
    proven.socket.close()
    await waitFor(() => events('peer.left').length === 1)

    expect(events('signalling.refused')).toEqual([
      expect.objectContaining({
        level: 40,
        peerId,
        meetingId: 'standup',
        participantId: 'ada',
        status: 401,
        reason: 'the token must be <secret>~<jwt>~<ts>~<signature>',
      }),
      expect.objectContaining({
        peerId: other,
        participantId: 'eve',
        reason: 'the token is for another meeting or participant than the id',
      }),
    ])
    const who = { peerId, meetingId: 'standup', participantId: 'ada', level: 30 }
    expect(events('peer.registered')).toEqual([expect.objectContaining({ ...who, msg: 'peer registered' })])
    expect(events('peer.left')).toEqual([expect.objectContaining({ ...who, msg: 'peer left' })])
    expectNoToken(raw, token)
  })

  it('logs room directory refusals, and request errors at debug', async () => {
    const { server, events, raw } = await start()
    const { token } = (await (
      await postToken(server, { meetingId: 'other', participantId: 'ada', role: 'participant' })
    ).json()) as { token: string }
    expect((await getRoom(server, 'standup')).status).toBe(401)
    expect((await getRoom(server, 'standup', token)).status).toBe(403)
    await fetch(`${server.url}/convene/rooms/%E0%A4%A`)

    expect(events('directory.refused')).toEqual([
      expect.objectContaining({ level: 40, meetingId: 'standup', status: 401, code: 'UNAUTHORIZED' }),
      expect.objectContaining({
        level: 40,
        meetingId: 'standup',
        status: 403,
        code: 'FORBIDDEN',
        reason: 'the token is for another meeting',
      }),
    ])
    expect(events('request.refused')).toEqual([
      expect.objectContaining({ level: 20, method: 'GET', status: 400, code: 'INVALID_URL' }),
    ])
    expectNoToken(raw, token)
  })

  it('at level warn, logs refusals but not what goes well', async () => {
    const { server, lines, events } = await start('warn')
    await postToken(server, { meetingId: 'standup', participantId: 'ada', role: 'participant' })
    await postToken(server, { meetingId: 'standup', participantId: 'mallory', role: 'participant' })
    await fetch(`${server.url}/nope`)
    expect(lines.map((line) => line.event)).toEqual(['token.refused'])
    expect(events('token.refused')[0]).toMatchObject({ participantId: 'mallory' })
  })

  it('refuses a logger that is neither a pino logger nor a level', async () => {
    for (const logger of ['loud', console, 42]) {
      const error = await createConveneServer({ logger: logger as never }).catch((e: unknown) => e)
      expect(isMeetingError(error) && error.details.option).toBe('logger')
    }
  })
})
