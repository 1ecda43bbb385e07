import { isMeetingError, type MeetingError } from '@convene/core'
import { createSocketIOTransport, type SocketIOTransportOptions } from '@convene/transport-socketio'
import { describe, expect, it } from 'vitest'
import { resolveSocketIOOptions } from '../src/options.js'

function refusal(options: unknown): MeetingError | 'accepted' | 'untyped' {
  try {
    createSocketIOTransport(options as SocketIOTransportOptions)
    return 'accepted'
  } catch (error) {
    return isMeetingError(error) ? error : 'untyped'
  }
}

describe('createSocketIOTransport options', () => {
  it('takes every documented option', () => {
    expect(
      refusal({
        url: ['http://127.0.0.1:9000', 'http://127.0.0.1:9001'],
        path: '/convene/relay',
        reconnectionDelayMs: 250,
        reconnectionDelayMaxMs: 2000,
        connectTimeoutMs: 5000,
        drainTimeoutMs: 2000,
        transports: ['polling', 'websocket'],
      }),
    ).toBe('accepted')
  })

  it('gives a busy node 10 s to open a connection before trying the next', () => {
    // A failover's herd made a node answer some attempts after 5 s: each was cut, and tried again.
    expect(resolveSocketIOOptions({ url: 'http://x' }).connectTimeoutMs).toBe(10_000)
  })

  // A misspelt option used to be dropped in silence, its default taken instead.
  it.each<[string, string | undefined, object]>([
    ['transport', 'transports', { url: 'http://127.0.0.1:9000', transport: ['polling'] }],
    ['urls', 'url', { url: 'http://127.0.0.1:9000', urls: ['http://127.0.0.1:9001'] }],
    ['timeout', undefined, { url: 'http://127.0.0.1:9000', timeout: 100 }],
  ])('refuses `%s`, an option it does not have, with INVALID_OPTION naming it', (option, near, options) => {
    const error = refusal(options)
    expect(typeof error === 'object' && error.code).toBe('INVALID_OPTION')
    expect((error as MeetingError).details.option).toBe(option)
    if (near) expect((error as MeetingError).message).toContain(`did you mean \`${near}\``)
  })

  it.each<[string, unknown]>([
    ['options', null],
    ['url', { url: [] }],
    ['url', { url: 'ftp://x' }],
    ['path', { url: 'http://x', path: 'relay' }],
    ['transports', { url: 'http://x', transports: ['carrier-pigeon'] }],
    ['connectTimeoutMs', { url: 'http://x', connectTimeoutMs: 0 }],
  ])('rejects a bad `%s` with INVALID_OPTION', (option, options) => {
    const error = refusal(options)
    expect(typeof error === 'object' && error.code).toBe('INVALID_OPTION')
    expect((error as MeetingError).details.option).toBe(option)
  })
})
