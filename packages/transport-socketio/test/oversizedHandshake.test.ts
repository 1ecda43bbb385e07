/**
 * A handshake over the relay's packet limit is closed by Engine.IO before Socket.IO reads it (WebSocket
 * close 1009, or HTTP 413 over polling), so no typed `connect_error` can come, and the client used to
 * retry the same handshake in silence until `joinTimeoutMs`. It now says `MESSAGE_TOO_LARGE`: before
 * sending one over `RELAY_MAX_PACKET_BYTES`, and when a relay that reads less closes the WebSocket.
 */
import { createServer, type Server as HttpServer } from 'node:http'
import {
  createMeeting,
  isMeetingError,
  type Transport,
  type TransportEvent,
  type TransportSessionOptions,
} from '@convene/core'
import { type ConveneServer, createConveneServer } from '@convene/server'
import { createSocketIOTransport } from '@convene/transport-socketio'
import { Server } from 'socket.io'
import { afterEach, describe, expect, it } from 'vitest'

let server: ConveneServer | undefined
let http: HttpServer | undefined
let io: Server | undefined

afterEach(async () => {
  await server?.close()
  await io?.close()
  server = http = io = undefined
})

const modes = [['websocket'], ['polling']] as const

/** The first error a bare relay session reports, with the handshake's name made `nameChars` long. */
function firstError(url: string, transports: readonly ('websocket' | 'polling')[], nameChars: number) {
  const transport = createSocketIOTransport({ url, transports })
  const options: TransportSessionOptions = {
    meetingId: 'big',
    participantId: 'ada',
    sessionId: 's1',
    // Core refuses such a name; a client of its own, or a proxy with a smaller limit, is what gets here.
    self: {
      name: 'x'.repeat(nameChars),
      role: 'participant',
      joinedAt: 1,
      media: { mic: true, webcam: true },
    },
  }
  return new Promise<Extract<TransportEvent, { type: 'error' }>>((resolve) => {
    const subscription = transport.session(options).events.subscribe({
      next: (event) => {
        if (event.type !== 'error') return
        subscription.unsubscribe()
        resolve(event)
      },
    })
  })
}

describe('a handshake over the relay packet limit', () => {
  for (const transports of modes) {
    it(`${transports[0]}: a 500 kB name is a fatal MESSAGE_TOO_LARGE, not a silent retry`, async () => {
      server = await createConveneServer({ logger: 'silent' })
      const event = await firstError(server.url, transports, 500_000)
      expect(event.fatal).toBe(true)
      expect(isMeetingError(event.error) && event.error.code).toBe('MESSAGE_TOO_LARGE')
      expect((event.error as Error).message).toMatch(/is 50\d{4} bytes, over the relay's 131072;/)
    })
  }

  // Over polling the server may close the transport before its 413 arrives, and that close says
  // nothing: only the WebSocket's 1009 is certain.
  it('websocket: join() rejects MESSAGE_TOO_LARGE against a relay that reads less than an honest handshake', async () => {
    // A stand-in relay whose packet limit is below an honest handshake, as a proxy's might be.
    http = createServer()
    io = new Server(http, { path: '/convene/relay', maxHttpBufferSize: 64 })
    await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(http.address() as { port: number }).port}`
    const meeting = createMeeting({
      meetingId: 'big',
      participant: { id: 'ada', name: 'Ada Lovelace', role: 'host' },
      transport: createSocketIOTransport({ url }) satisfies Transport,
    })
    const failure = await meeting.join().then(
      () => null,
      (error: unknown) => error,
    )
    meeting.dispose()
    expect(isMeetingError(failure) && failure.code).toBe('MESSAGE_TOO_LARGE')
    expect((failure as Error).message).toMatch(
      /^join\(\) failed: The relay handshake .* closed the connection/,
    )
  })
})
