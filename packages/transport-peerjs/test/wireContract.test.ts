/**
 * The contract between this transport and `@convene/server`, with no network in between: what the
 * transport's credential builds (signalling token, directory headers), the server's checks accept,
 * and any single byte changed in it is refused. Both sides take the format from `@convene/core/wire`.
 */
import type { IncomingHttpHeaders } from 'node:http'
import {
  createPeerId,
  DIRECTORY_PROOF_HEADER,
  directoryPayload,
  parseSignallingToken,
  signallingPayload,
} from '@convene/core/wire'
import { createToken, generateSigningKey, type SigningKey } from '@convene/server'
import { beforeEach, describe, expect, it } from 'vitest'
import { createDirectoryCheck } from '../../server/src/auth/verifyDirectoryRequest.js'
import { createSignallingCheck } from '../../server/src/signalling/verifySignalling.js'
import { SignallingCredential } from '../src/SignallingCredential.js'
import { ownKey } from './support/authWorld.js'

const MEETING = 'réunion ✓'
const peerId = createPeerId(MEETING, 'ada', 'session-1')

let signingKey: SigningKey
let credential: SignallingCredential
let signed: string[]

beforeEach(async () => {
  signingKey = await generateSigningKey()
  const key = await ownKey()
  const token = await createToken(
    { meetingId: MEETING, participantId: 'ada', role: 'participant', publicKey: key.publicKey },
    signingKey,
  )
  signed = []
  const sign = (data: string) => {
    signed.push(data)
    return key.sign(data)
  }
  credential = new SignallingCredential(peerId, { sign, token })
})

const connectUrl = (id: string, token: string) =>
  `/peerjs/peerjs?${new URLSearchParams({ key: 'peerjs', id, token })}`

const NEXT: Record<string, string> = { '9': '0', z: 'a', Z: 'A', '-': '_', _: '-' }

/**
 * Every variant of `text` with one character replaced by another of the same alphabet (so the variant
 * still parses, and the signature check is what refuses it), for its first `upTo` characters.
 */
function oneByteOff(text: string, upTo = text.length): string[] {
  const variants: string[] = []
  for (let i = 0; i < upTo; i++) {
    const c = text[i]!
    const swapped = NEXT[c] ?? String.fromCharCode(c.charCodeAt(0) + 1)
    variants.push(text.slice(0, i) + swapped + text.slice(i + 1))
  }
  return variants
}

// The 86th character of a base64url signature carries 2 bits of the 64 bytes and 4 bits that decoders
// ignore: changing only those gives the same signature, so the signature variants stop before it.
const SIGNED_CHARS = 85

/** Every n-th of `items` (and the last), so a test covers every part of a string without 300 ECDSA checks. */
const sampled = <T>(items: T[], n: number) => items.filter((_, i) => i % n === 0 || i === items.length - 1)

describe('the signalling proof', () => {
  it('signs exactly the wire payload, and the server accepts it once, handing PeerServer the secret alone', async () => {
    const check = createSignallingCheck([signingKey.publicJwk])
    const value = await credential.initial()
    const parsed = parseSignallingToken(value)!
    expect(signed).toEqual([signallingPayload(peerId, parsed.ts, parsed.secret)])
    const accepted = await check(connectUrl(peerId, value))
    expect(accepted).toEqual({
      ok: true,
      url: connectUrl(peerId, parsed.secret),
      role: 'participant', // the token's: whether this socket may end its meeting over signalling
    })
    expect(await check(connectUrl(peerId, value))).toMatchObject({
      ok: false,
      reason: 'the proof was already used',
    })
  })

  it('refuses it with any one character of the secret, time or signature changed, or for another peer id', async () => {
    const check = createSignallingCheck([signingKey.publicJwk])
    const value = await credential.initial()
    const { secret, jwt, ts, signature } = parseSignallingToken(value)!
    const variants = [
      ...sampled(oneByteOff(secret), 3).map((s) => connectUrl(peerId, `${s}~${jwt}~${ts}~${signature}`)),
      ...oneByteOff(String(ts)).map((t) => connectUrl(peerId, `${secret}~${jwt}~${t}~${signature}`)),
      ...sampled(oneByteOff(signature, SIGNED_CHARS), 7).map((s) =>
        connectUrl(peerId, `${secret}~${jwt}~${ts}~${s}`),
      ),
      connectUrl(createPeerId(MEETING, 'ada', 'session-2'), value),
    ]
    for (const url of variants) expect(await check(url)).toMatchObject({ ok: false, status: 401 })
    // None of those spent the real proof.
    expect(await check(connectUrl(peerId, value))).toMatchObject({ ok: true })
  })
})

describe('the directory proof', () => {
  const asReceived = (headers: Record<string, string>): IncomingHttpHeaders =>
    Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]))

  it('signs exactly the wire payload, and the server accepts it once', async () => {
    const check = createDirectoryCheck([signingKey.publicJwk])
    const headers = await credential.directoryHeaders(MEETING)
    const [, ts] = headers[DIRECTORY_PROOF_HEADER]!.split('~')
    expect(signed).toEqual([directoryPayload(MEETING, peerId, Number(ts))])
    expect(await check(asReceived(headers), MEETING)).toBeNull()
    expect(await check(asReceived(headers), MEETING)).toMatchObject({
      code: 'INVALID_PROOF',
      error: 'the proof was already used',
    })
  })

  it('refuses it with any one character changed, or for another meeting', async () => {
    const check = createDirectoryCheck([signingKey.publicJwk])
    const headers = await credential.directoryHeaders(MEETING)
    const proof = headers[DIRECTORY_PROOF_HEADER]!
    const [id, ts, signature] = proof.split('~') as [string, string, string]
    const variants = [
      ...sampled(oneByteOff(id), 9).map((i) => `${i}~${ts}~${signature}`),
      ...oneByteOff(ts).map((t) => `${id}~${t}~${signature}`),
      ...sampled(oneByteOff(signature, SIGNED_CHARS), 7).map((s) => `${id}~${ts}~${s}`),
    ]
    for (const variant of variants) {
      const refusal = await check(asReceived({ ...headers, [DIRECTORY_PROOF_HEADER]: variant }), MEETING)
      expect([variant, refusal?.code]).toEqual([variant, 'INVALID_PROOF'])
    }
    expect(await check(asReceived(headers), 'another meeting')).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
    })
    expect(await check(asReceived(headers), MEETING)).toBeNull()
  })
})
