import { isMeetingError, type MeetingError } from '@convene/core'
import { createPeerJSTransport, type PeerJSTransportOptions } from '@convene/transport-peerjs'
import { describe, expect, it } from 'vitest'
import { resolveTransportOptions } from '../src/options.js'

describe('createPeerJSTransport options', () => {
  it('accepts defaults and names itself', () => {
    expect(createPeerJSTransport().name).toBe('peerjs')
    expect(
      createPeerJSTransport({ host: 'example.org', port: 443, secure: true, reconnect: () => null }).name,
    ).toBe('peerjs')
  })

  it('asks for the camera size and frame rate given, and for none when video is false', () => {
    const camera = { width: 320, height: 240, frameRate: 15 }
    expect(resolveTransportOptions({ media: { video: camera, audio: true } }).media).toEqual({
      video: camera,
      audio: true,
    })
    expect(resolveTransportOptions({ media: { video: true } }).media).toEqual({ video: true, audio: false })
    expect(resolveTransportOptions({ media: { video: false, audio: false } }).media).toBeNull()
  })

  it.each<[string, PeerJSTransportOptions]>([
    ['host', { host: '' }],
    ['host', { host: 'a/b' }],
    ['port', { port: 0 }],
    ['port', { port: 70_000 }],
    ['path', { path: 'peerjs' }],
    ['secure', { secure: 'yes' as unknown as boolean }],
    ['key', { key: '' }],
    ['iceServers', { iceServers: [{}] as RTCIceServer[] }],
    ['directoryUrl', { directoryUrl: 'ftp://x' }],
    ['media', { media: 'camera' as unknown as { video: boolean } }],
    ['media', { media: { video: 'yes' as unknown as boolean } }],
    ['media', { media: { video: { width: 0 } } }],
    ['media', { media: { video: { frameRate: 'high' as unknown as number } } }],
    ['media', { media: { video: null as unknown as boolean } }],
    ['media', { media: { audio: 1 as unknown as boolean } }],
    ['reconnect', { reconnect: -5 }],
    ['reconnect', { reconnect: 'fast' as unknown as number }],
    ['connectTimeoutMs', { connectTimeoutMs: 5 }],
    ['drainTimeoutMs', { drainTimeoutMs: -1 }],
    ['debug', { debug: 7 as 0 }],
  ])('rejects a bad `%s` with INVALID_OPTION', (option, options) => {
    let error: unknown
    try {
      createPeerJSTransport(options)
    } catch (e) {
      error = e
    }
    expect(isMeetingError(error)).toBe(true)
    expect((error as MeetingError).code).toBe('INVALID_OPTION')
    expect((error as MeetingError).details.option).toBe(option)
  })

  it.each<[string, string | undefined, object]>([
    ['iceServer', 'iceServers', { iceServer: [{ urls: 'turn:turn.example.com' }] }],
    ['timeoutMs', undefined, { timeoutMs: 500 }],
  ])(
    'refuses `%s`, an option it does not have, naming it (it was dropped in silence)',
    (option, near, options) => {
      const error = (() => {
        try {
          createPeerJSTransport(options as PeerJSTransportOptions)
        } catch (e) {
          return e
        }
      })()
      expect(isMeetingError(error) && error.code).toBe('INVALID_OPTION')
      expect((error as MeetingError).details.option).toBe(option)
      if (near) expect((error as MeetingError).message).toContain(`did you mean \`${near}\``)
    },
  )
})
