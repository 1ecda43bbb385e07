/**
 * The transport and the relay say which relay protocol they speak: against a relay of another version
 * (an older one names none in its welcome; a newer one refuses the handshake), `join()` rejects with
 * `PROTOCOL_VERSION`, not a silent refusal of the session's END later. The relays of other versions
 * are stand-ins: a bare Socket.IO server that speaks as they would.
 */
import { createServer, type Server as HttpServer } from 'node:http'
import { createMeeting, isMeetingError } from '@convene/core'
import { RELAY_PROTOCOL_VERSION } from '@convene/core/wire'
import { createSocketIOTransport } from '@convene/transport-socketio'
import { Server } from 'socket.io'
import { afterEach, describe, expect, it } from 'vitest'

let http: HttpServer | undefined
let io: Server | undefined

afterEach(async () => {
  await io?.close()
  http = io = undefined
})

/** A relay of another version at a free port: what it does with each connection. */
async function standIn(serve: (io: Server) => void): Promise<string> {
  http = createServer()
  io = new Server(http, { path: '/convene/relay' })
  serve(io)
  await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(http.address() as { port: number }).port}`
}

async function joinError(url: string): Promise<unknown> {
  const meeting = createMeeting({
    meetingId: 'versions',
    participant: { id: 'ada', role: 'host' },
    transport: createSocketIOTransport({ url }),
    joinTimeoutMs: 5_000,
  })
  const errors: unknown[] = []
  meeting.on('error', (error) => errors.push(error))
  const failure = await meeting.join().then(
    () => null,
    (error: unknown) => error,
  )
  meeting.dispose()
  return { failure, errors }
}

describe('the relay protocol version', () => {
  it('a relay older than versions (a welcome naming none): join() rejects with PROTOCOL_VERSION', async () => {
    const presented: unknown[] = []
    const url = await standIn((io) =>
      io.on('connection', (socket) => {
        presented.push(socket.handshake.auth.protocol)
        socket.emit('welcome', { peers: [], gone: [], away: [] })
      }),
    )
    const { failure } = (await joinError(url)) as { failure: unknown }
    expect(isMeetingError(failure) && failure.code).toBe('PROTOCOL_VERSION')
    expect((failure as Error).message).toMatch(/no relay protocol \(an older relay\)/)
    expect(presented).toEqual([RELAY_PROTOCOL_VERSION])
  })

  it('a relay of a newer version (refuses the handshake): join() rejects with PROTOCOL_VERSION', async () => {
    const url = await standIn((io) =>
      io.use((_socket, next) =>
        next(
          Object.assign(new Error('protocol'), {
            data: { code: 'PROTOCOL_VERSION', error: 'this relay speaks relay protocol 3, the client 2' },
          }),
        ),
      ),
    )
    const { failure } = (await joinError(url)) as { failure: unknown }
    expect(isMeetingError(failure) && failure.code).toBe('PROTOCOL_VERSION')
    expect((failure as Error).message).toMatch(/relay protocol 3/)
  })
})
