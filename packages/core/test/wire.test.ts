/**
 * `@convene/core/wire`: the formats the transport builds and the server checks. Each string a key
 * signs is pinned here byte for byte, since every deployed client and server must agree on it.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  createPeerId,
  DIRECTORY_PROOF_HEADER,
  directoryPayload,
  formatDirectoryProof,
  formatRelayProof,
  formatSignallingToken,
  helloProofPayload,
  isPeerIdShaped,
  MAX_ID_LENGTH,
  MAX_PEER_ID_LENGTH,
  meetingKey,
  meetingKeyOfPeerId,
  parseDirectoryProof,
  parsePeerId,
  parseRelayProof,
  parseSignallingToken,
  relayPayload,
  signallingPayload,
} from '@convene/core/wire'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

const wireDir = fileURLToPath(new URL('../src/wire', import.meta.url))
const SIG = 'A'.repeat(86)
const JWT = 'eyJh.eyJz.c2ln'

describe('@convene/core/wire', () => {
  it('depends on nothing: its files import only each other', () => {
    const imports = readdirSync(wireDir).flatMap((name) =>
      [...readFileSync(join(wireDir, name), 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map(
        ([, specifier]) => `${name}: ${specifier}`,
      ),
    )
    expect(imports.filter((line) => !/: \.\/[A-Za-z]+\.js$/.test(line))).toEqual([])
  })

  it('pins the bytes each proof signs', () => {
    expect(signallingPayload('cv-61-62-63', 1_700_000_000_000, 'S'.repeat(22))).toBe(
      `convene-signal-v1\ncv-61-62-63\n1700000000000\n${'S'.repeat(22)}`,
    )
    expect(directoryPayload('standup', 'cv-61-62-63', 1_700_000_000_000)).toBe(
      'convene-directory-v1\nstandup\ncv-61-62-63\n1700000000000',
    )
    const hello = { meetingId: 'standup', participant: { id: 'ada' }, session: 's1', joinedAt: 42 }
    expect(helloProofPayload(hello, 'from', 'to')).toBe('convene-hello-v1\nstandup\nada\ns1\n42\nfrom\nto')
    expect(DIRECTORY_PROOF_HEADER).toBe('Convene-Proof')
    expect(relayPayload('cv-61-62-63', 1_700_000_000_000)).toBe(
      'convene-relay-v1\ncv-61-62-63\n1700000000000',
    )
  })

  it('peer ids round-trip any ids up to the longest, and parse refuses every other id', () => {
    const id = fc
      .string({ unit: 'grapheme-composite', minLength: 1, maxLength: MAX_ID_LENGTH })
      .filter((s) => s.length <= MAX_ID_LENGTH)
    fc.assert(
      fc.property(id, id, id, (meetingId, participantId, sessionId) => {
        const peerId = createPeerId(meetingId, participantId, sessionId)
        expect(parsePeerId(peerId)).toEqual({ meetingId, participantId, sessionId })
        expect(meetingKeyOfPeerId(peerId)).toBe(meetingKey(meetingId))
        expect(peerId.length).toBeLessThanOrEqual(MAX_PEER_ID_LENGTH)
        expect(isPeerIdShaped(peerId)).toBe(true)
      }),
    )
    const longest = '\u{FFFF}'.repeat(MAX_ID_LENGTH)
    expect(createPeerId(longest, longest, longest)).toHaveLength(MAX_PEER_ID_LENGTH)
    for (const bad of ['someone', 'cv-6-70-73', 'cv-80-70-73', 'cv-6d-70', `cv-6D-70-73`, ' cv-6d-70-73']) {
      expect(parsePeerId(bad)).toBeNull()
    }
  })

  it('proofs round-trip through their text form; a malformed one parses to null', () => {
    const token = { secret: 'S'.repeat(22), jwt: JWT, ts: 1_700_000_000_000, signature: SIG }
    expect(parseSignallingToken(formatSignallingToken(token))).toEqual(token)
    const relay = { jwt: JWT, ts: 1_700_000_000_000, signature: SIG }
    expect(parseRelayProof(formatRelayProof(relay))).toEqual(relay)
    expect(parseRelayProof(formatRelayProof({ ...relay, jwt: 'a.b' }))).toBeNull()
    expect(parseRelayProof(`${formatRelayProof(relay)}~x`)).toBeNull()
    const proof = { peerId: 'cv-61-62-63', ts: 1_700_000_000_000, signature: SIG }
    expect(parseDirectoryProof(formatDirectoryProof(proof))).toEqual(proof)
    for (const bad of [
      formatSignallingToken({ ...token, secret: 'short' }),
      formatSignallingToken({ ...token, secret: `${'S'.repeat(21)}~` }),
      formatSignallingToken({ ...token, jwt: 'not-a-jwt' }),
      formatSignallingToken({ ...token, ts: 0 }),
      formatSignallingToken({ ...token, signature: SIG.slice(1) }),
      `${formatSignallingToken(token)}~extra`,
    ]) {
      expect(parseSignallingToken(bad)).toBeNull()
    }
    for (const bad of [
      formatDirectoryProof({ ...proof, peerId: 'someone' }),
      formatDirectoryProof({ ...proof, peerId: `cv-${'6'.repeat(MAX_PEER_ID_LENGTH)}` }),
      formatDirectoryProof({ ...proof, ts: -1 }),
      formatDirectoryProof({ ...proof, signature: `${SIG}=` }),
    ]) {
      expect(parseDirectoryProof(bad)).toBeNull()
    }
  })
})
