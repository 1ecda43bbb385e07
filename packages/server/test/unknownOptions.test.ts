import { isMeetingError } from '@convene/core'
import { type ConveneServerOptions, createConveneServer, generateSigningKey } from '@convene/server'
import { describe, expect, it } from 'vitest'

// A misspelt option used to be dropped in silence, its default taken instead: `corsOrigins` served every
// origin, `relay.pingInterval` kept the 5 s ping. Each is refused before anything listens.
describe('createConveneServer and options it does not know', () => {
  it.each<[string, string | undefined, Record<string, unknown>]>([
    ['corsOrigins', 'corsOrigin', { corsOrigins: ['https://app.example.com'] }],
    ['signalingAuth', 'signallingAuth', { signalingAuth: false }],
    ['relay.pingInterval', 'relay.pingIntervalMs', { relay: { pingInterval: 1000 } }],
    ['auth.expires', 'auth.expiresIn', { auth: { expires: 60 } }],
    ['logLevel', undefined, { logLevel: 'debug' }],
  ])('refuses `%s` with INVALID_OPTION naming it', async (option, near, extra) => {
    const options = { ...extra, logger: 'silent' } as ConveneServerOptions
    if (options.auth)
      Object.assign(options.auth, { signingKey: await generateSigningKey(), authorize: () => true })
    const error = await createConveneServer(options).catch((e: unknown) => e)
    expect(isMeetingError(error) && error.code).toBe('INVALID_OPTION')
    if (!isMeetingError(error)) return
    expect(error.details.option).toBe(option)
    if (near) expect(error.message).toContain(`did you mean \`${near}\``)
  })

  it('still takes every documented option', async () => {
    const server = await createConveneServer({
      host: '127.0.0.1',
      port: 0,
      path: '/peerjs',
      key: 'peerjs',
      directoryPath: '/convene/rooms',
      corsOrigin: 'https://app.example.com',
      aliveTimeoutMs: 60_000,
      authorize: () => true,
      auth: {
        signingKey: await generateSigningKey(),
        authorize: () => true,
        expiresIn: 60,
        tokenPath: '/token',
        refusal: 'no',
      },
      signallingAuth: true,
      logger: 'silent',
      relay: {
        path: '/convene/relay',
        pingIntervalMs: 5000,
        pingTimeoutMs: 10_000,
        recoveryMs: 5000,
        failoverGraceMs: 15_000,
      },
    })
    await server.close()
  })
})
